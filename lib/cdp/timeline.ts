import 'server-only';
import type { DB } from '@/lib/db';
import type { Violation } from '@/lib/cdp/quality';
import { readJson, type Source, type StoredEvent } from '@/lib/cdp/store/events';

/** One event as the ops API and console show it. */
export type TimelineEvent = {
  seq: number;
  message_id: string;
  type: string;
  name: string | null;
  canonical_name: string | null;
  /** Corrected for client clock skew; the timeline is ordered by it. */
  timestamp: string;
  received_at: string;
  anonymous_id: string | null;
  user_id: string | null;
  person_id: string | null;
  /** True when the event was sent anonymously and joined the person through identity stitching. */
  stitched: boolean;
  attached_at: string | null;
  /** Which SDKs sent this messageId: `client` (browser), `server` (node) or both. */
  sources: Source[];
  /** How many times the messageId arrived (duplicates are counted, not stored). */
  seen_count: number;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  violations: Violation[];
};

export function toTimelineEvent(row: StoredEvent): TimelineEvent {
  const sources: Source[] = [];
  if (row.seen_by_client) sources.push('client');
  if (row.seen_by_server) sources.push('server');
  return {
    seq: row.seq,
    message_id: row.message_id,
    type: row.type,
    name: row.name,
    canonical_name: row.canonical_name,
    timestamp: row.timestamp,
    received_at: row.received_at,
    anonymous_id: row.anonymous_id,
    user_id: row.user_id,
    person_id: row.person_id,
    stitched: row.stitched === 1,
    attached_at: row.attached_at,
    sources,
    seen_count: row.seen_count,
    properties: readJson(row.properties, {}),
    traits: readJson(row.traits, {}),
    context: readJson(row.context, {}),
    violations: readJson(row.violations, []),
  };
}

/** All events of a person, stitched ones included, oldest first by corrected timestamp. */
export async function getTimeline(db: DB, personId: string): Promise<TimelineEvent[]> {
  const rows = await db
    .selectFrom('cdp_events')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('timestamp')
    .orderBy('seq')
    .execute();
  return rows.map(toTimelineEvent);
}

export type AnonymousActivity = { anonymous_id: string; person_id: string | null; events: TimelineEvent[] };

/** Everything sent under one anonymous id (one browser or device), and the person it is linked to, if any. */
export async function getAnonymousActivity(db: DB, anonymousId: string): Promise<AnonymousActivity> {
  const [identity, rows] = await Promise.all([
    db.selectFrom('cdp_identities').select('person_id').where('anonymous_id', '=', anonymousId).executeTakeFirst(),
    db
      .selectFrom('cdp_events')
      .selectAll()
      .where('anonymous_id', '=', anonymousId)
      .orderBy('timestamp')
      .orderBy('seq')
      .execute(),
  ]);
  return { anonymous_id: anonymousId, person_id: identity?.person_id ?? null, events: rows.map(toTimelineEvent) };
}

export type AnonymousVisitor = {
  anonymous_id: string;
  person_id: string | null;
  event_count: number;
  last_seen_at: string;
};

/** Recent anonymous ids with events not attached to anyone: visitors the console can open before they sign up. */
export async function listAnonymousVisitors(db: DB, limit = 20): Promise<AnonymousVisitor[]> {
  const rows = await db
    .selectFrom('cdp_events as e')
    .leftJoin('cdp_identities as i', 'i.anonymous_id', 'e.anonymous_id')
    .select(['e.anonymous_id', 'i.person_id'])
    .select((eb) => [eb.fn.countAll<number>().as('event_count'), eb.fn.max('e.received_at').as('last_seen_at')])
    .where('e.anonymous_id', 'is not', null)
    .where('e.person_id', 'is', null)
    // i.person_id is one value per anonymous id; PostgreSQL still wants every selected column grouped.
    .groupBy(['e.anonymous_id', 'i.person_id'])
    .orderBy('last_seen_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, anonymous_id: r.anonymous_id!, event_count: Number(r.event_count) }));
}
