import type { Selectable } from 'kysely';
import type { CdpEventsTable } from '@/lib/db/tables/cdp';

/** An event as the pipeline stored it (one `cdp_events` row); read models and the profile loader map it. */
export type StoredEvent = Selectable<CdpEventsTable>;

/** Which SDK sent a call: the browser's (`client`) or the node one (`server`). */
export type Source = 'client' | 'server';

/**
 * Whether the shop's own server sent this call (or mirrored it with the same messageId). Only such calls may put
 * item names, prices, links, a first name or an address into a message, because the browser's write key is
 * public. Today it reads `seen_by_server`: the node SDK's copy, whose properties replace the browser's when it
 * arrives second (store/events.ts). The one place to swap in a stronger verdict (a secret server key, signed
 * browser calls).
 */
export const isServerConfirmed = (row: Pick<StoredEvent, 'seen_by_server'>): boolean => row.seen_by_server === 1;

/** Reads a JSON column written by the store; a damaged value reads as the fallback instead of crashing a page. */
export function readJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
