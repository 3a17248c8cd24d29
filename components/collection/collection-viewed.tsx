'use client';

import { useEffect } from 'react';

/** Marks a collection page view (renders nothing). */
export function CollectionViewed({ collectionId }: { collectionId: string }) {
  useEffect(() => {
    // tracking seam: Collection Viewed (collection_id, name, item_count)
  }, [collectionId]);
  return null;
}
