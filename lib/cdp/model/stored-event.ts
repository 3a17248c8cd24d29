import type { Selectable } from 'kysely';
import type { CdpEventsTable } from '@/lib/db/tables/cdp';

/** An event as the pipeline stored it (one `cdp_events` row); read models and the profile loader map it. */
export type StoredEvent = Selectable<CdpEventsTable>;

/**
 * Who sent a call, by the write key it came with: `server` (the secret server key, i.e. the shop's server) or
 * `client` (the public browser key: the browser SDK, or anyone who read the key off a page).
 */
export type Source = 'client' | 'server';

/** How an identity-changing call (identify with a userId, alias) was vouched for (`cdp_events.identity_check`). */
export type IdentityCheck = CdpEventsTable['identity_check'];

/**
 * Whether the shop's own server sent this call (or mirrored it with the same messageId): it came with the secret
 * server write key (store/events.ts marks it `trusted`; a server copy arriving after the browser's replaces the
 * browser's content). Only such calls may put item names, prices, links, a first name or an address into a
 * message, because the browser's write key is public.
 */
export const isServerConfirmed = (row: Pick<StoredEvent, 'trusted'>): boolean => row.trusted === 1;

/** Reads a JSON column written by the store; a damaged value reads as the fallback instead of crashing a page. */
export function readJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
