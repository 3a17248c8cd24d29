import type { Selectable } from 'kysely';
import type { CdpEventsTable } from '@/lib/db/tables/cdp';

/** An event as the pipeline stored it (one `cdp_events` row); read models and the profile loader map it. */
export type StoredEvent = Selectable<CdpEventsTable>;

/** Which SDK sent a call: the browser's (`client`) or the node one (`server`). */
export type Source = 'client' | 'server';

/** Reads a JSON column written by the store; a damaged value reads as the fallback instead of crashing a page. */
export function readJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
