import 'server-only';
import type { DB } from '@/lib/db';
import type { Violation } from '@/lib/cdp/model/quality';
import { readJson, type Source, type StoredEvent } from '@/lib/cdp/model/stored-event';
import { afterKey, decodeCursor, toPage, type KeyColumn, type Page, type PageRequest } from './page';

/** One stored event as the ops API and console show it (`timelineEvent` in ops/contract.ts). */
export function toTimelineEvent(row: StoredEvent) {
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
    trusted: row.trusted === 1,
    seen_count: row.seen_count,
    properties: readJson<Record<string, unknown>>(row.properties, {}),
    traits: readJson<Record<string, unknown>>(row.traits, {}),
    context: readJson<Record<string, unknown>>(row.context, {}),
    violations: readJson<Violation[]>(row.violations, []),
  };
}

const TIMELINE_ORDER: KeyColumn[] = [{ column: 'timestamp' }, { column: 'seq' }];
const timelineKey = (row: StoredEvent) => [row.timestamp, row.seq];

/** Events matching `filter`, oldest first by corrected timestamp (then seq), one page after `cursor`. */
async function eventsPage(
  db: DB,
  filter: { person_id: string } | { anonymous_id: string },
  { cursor, limit }: PageRequest,
): Promise<Page<TimelineEvent>> {
  let query = db.selectFrom('cdp_events').selectAll().orderBy('timestamp').orderBy('seq');
  query =
    'person_id' in filter
      ? query.where('person_id', '=', filter.person_id)
      : query.where('anonymous_id', '=', filter.anonymous_id);
  if (cursor) query = query.where(afterKey(TIMELINE_ORDER, decodeCursor(cursor, ['time', 'id'])));
  if (limit !== undefined) query = query.limit(limit + 1);
  const rows = await query.execute();
  return toPage(rows, limit ?? rows.length, timelineKey, toTimelineEvent);
}

type TimelineEvent = ReturnType<typeof toTimelineEvent>;

/** One page of a person's events, stitched ones included, oldest first by corrected timestamp. */
export const timelinePage = (db: DB, personId: string, page: PageRequest) =>
  eventsPage(db, { person_id: personId }, page);

/** How many events a person has, and how many of them were stitched from anonymous sessions. */
export async function timelineCounts(db: DB, personId: string) {
  const row = await db
    .selectFrom('cdp_events')
    .select((eb) => [eb.fn.countAll<number>().as('events'), eb.fn.sum<number>('stitched').as('stitched')])
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow();
  return { events: Number(row.events), stitched: Number(row.stitched ?? 0) };
}

/** Anonymous ids on a person's timeline, in order of their first event ("Device 1", "Device 2"… in the console). */
export async function timelineDevices(db: DB, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('cdp_events')
    .select('anonymous_id')
    .select((eb) => eb.fn.min('timestamp').as('first_at'))
    .where('person_id', '=', personId)
    .where('anonymous_id', 'is not', null)
    .groupBy('anonymous_id')
    .orderBy('first_at')
    .orderBy('anonymous_id')
    .execute();
  return rows.map((r) => r.anonymous_id!);
}

/** All events of a person (tests and small exports; the API and console read it page by page). */
export async function getTimeline(db: DB, personId: string) {
  return (await eventsPage(db, { person_id: personId }, {})).items;
}

/**
 * Events sent under one anonymous id (one browser or device), a page at a time (all of them without a
 * `limit`), and the person it is linked to, if any.
 */
export async function getAnonymousActivity(db: DB, anonymousId: string, page: PageRequest = {}) {
  const [identity, events] = await Promise.all([
    db.selectFrom('cdp_identities').select('person_id').where('anonymous_id', '=', anonymousId).executeTakeFirst(),
    eventsPage(db, { anonymous_id: anonymousId }, page),
  ]);
  return {
    anonymous_id: anonymousId,
    person_id: identity?.person_id ?? null,
    events: events.items,
    next_cursor: events.next_cursor,
  };
}
