'use client';

import { TrackOnView } from '@/lib/tracking/react';

/** Marks a collection page view (renders nothing). Re-sorting keeps it mounted, so it is not a new view. */
export function CollectionViewed({
  collectionId,
  name,
  itemCount,
}: {
  collectionId: string;
  name: string;
  itemCount: number;
}) {
  return (
    <TrackOnView
      key={collectionId}
      event="Collection Viewed"
      properties={{ collection_id: collectionId, name, item_count: itemCount }}
    />
  );
}
