import 'server-only';
import type { DB } from '@/lib/db';
import type { Violation } from '@/lib/cdp/model/quality';
import { readJson, type Source, type StoredEvent } from '@/lib/cdp/model/stored-event';

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

/** All events of a person, stitched ones included, oldest first by corrected timestamp. */
export async function getTimeline(db: DB, personId: string) {
  const rows = await db
    .selectFrom('cdp_events')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('timestamp')
    .orderBy('seq')
    .execute();
  return rows.map(toTimelineEvent);
}

/** Everything sent under one anonymous id (one browser or device), and the person it is linked to, if any. */
export async function getAnonymousActivity(db: DB, anonymousId: string) {
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
