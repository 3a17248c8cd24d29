'use client';

import { TrackOnView } from '@/lib/tracking/react';

/** Tracks one search (renders nothing); keyed by the query, so a new search is a new event. */
export function ProductsSearched({ query, resultCount }: { query: string; resultCount: number }) {
  return <TrackOnView key={query} event="Products Searched" properties={{ query, result_count: resultCount }} />;
}
