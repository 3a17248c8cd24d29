import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { indexedBy } from '@/lib/db/dialect';
import { afterKey, decodeCursor, toPage, type KeyColumn, type Page, type PageRequest } from './page';

export type AnonymousVisitor = {
  anonymous_id: string;
  person_id: string | null;
  event_count: number;
  last_seen_at: string;
};

/** Index entries the first step of a walk reads; each further step reads twice as many, up to MAX_STEP. */
const FIRST_STEP = 256;
const MAX_STEP = 8192;
/** Visitors already met that the walk's own query leaves out (a fixed cap: no parameter list grows with data). */
const SKIPPED_IN_SQL = 64;

const WALK_ORDER: KeyColumn[] = [
  { column: 'received_at', desc: true },
  { column: 'anonymous_id', desc: true },
  { column: 'seq', desc: true },
];

type Entry = { received_at: string; anonymous_id: string; seq: number };
type Walk = { upTo: string | null; position: [string, string, number] | null; met: Set<string> };

/**
 * Anonymous ids with events not attached to anyone, most recently seen first (then by id), a page at a time:
 * visitors the console can open before they sign up. Grouping every such event to sort the groups grew with the
 * shop's traffic (~1 s at 1M events, the console's home page). Instead the page walks `cdp_events_visitors` (those
 * events by arrival, migration 0026) from the newest, or from the cursor's time, and meets each visitor first at
 * their latest event; it stops once the page's last visitor was seen after the walk's position, so every visitor
 * not met yet comes later. Only the visitors it keeps are counted. A page costs the events since its first
 * visitor's latest, not all of them.
 */
export async function listAnonymousVisitors(
  db: DB,
  { cursor, limit = 20 }: PageRequest = {},
): Promise<Page<AnonymousVisitor>> {
  const size = Math.min(Math.max(1, limit), 500);
  const after = cursor ? (decodeCursor(cursor, ['time', 'text']) as [string, string]) : null;
  const walk: Walk = { upTo: after?.[0] ?? null, position: null, met: new Set() };
  // Visitors met, in the order met (latest event first), not yet counted; and the ones counted for this page.
  const pending: { id: string; seen: string }[] = [];
  const page: AnonymousVisitor[] = [];
  for (let step = FIRST_STEP; ; step = Math.min(step * 2, MAX_STEP)) {
    const entries = await walkStep(db, walk, step);
    for (const entry of entries) {
      if (walk.met.has(entry.anonymous_id)) continue;
      walk.met.add(entry.anonymous_id);
      pending.push({ id: entry.anonymous_id, seen: entry.received_at });
    }
    // Count the visitors met until the page is full, and any met at the page's last time (ties go by id).
    while (pending.length && (page.length <= size || pending[0]!.seen >= page[size]!.last_seen_at)) {
      const batch = pending.splice(0, Math.max(size + 1 - page.length, 1));
      const counted = await summaries(
        db,
        batch.map((p) => p.id),
      );
      page.push(...counted.filter((v) => !after || isAfter(v, after)));
      page.sort(byRecency);
    }
    const last = entries.at(-1);
    if (entries.length < step || !last) break;
    walk.position = [last.received_at, last.anonymous_id, last.seq];
    if (page.length > size && page[size]!.last_seen_at > last.received_at) break;
  }
  return toPage(
    page,
    size,
    (v) => [v.last_seen_at, v.anonymous_id],
    (v) => v,
  );
}

/** The next `step` index entries of unattached events, newest first, leaving out (some) visitors already met. */
async function walkStep(db: DB, walk: Walk, step: number): Promise<Entry[]> {
  const skipped = [...walk.met].slice(0, SKIPPED_IN_SQL);
  const { rows } = await sql<Entry>`select received_at, anonymous_id, seq
    from cdp_events ${indexedBy(db, 'cdp_events_visitors')}
    where person_id is null and anonymous_id is not null
    ${walk.upTo === null ? sql`` : sql`and received_at <= ${walk.upTo}`}
    ${walk.position ? sql`and ${afterKey(WALK_ORDER, walk.position)}` : sql``}
    ${skipped.length ? sql`and anonymous_id not in (${sql.join(skipped)})` : sql``}
    order by received_at desc, anonymous_id desc, seq desc
    limit ${step}`.execute(db);
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/**
 * Each visitor's unattached events: how many, the latest, and the person the id is linked to now (if any). Named
 * index: without statistics SQLite would take `person_id is null` (every unattached event) over the ids.
 */
async function summaries(db: DB, ids: string[]): Promise<AnonymousVisitor[]> {
  const { rows } = await sql<AnonymousVisitor>`select e.anonymous_id, i.person_id, count(*) as event_count,
      max(e.received_at) as last_seen_at
    from cdp_events e ${indexedBy(db, 'cdp_events_anonymous')}
    left join cdp_identities i on i.anonymous_id = e.anonymous_id
    where e.anonymous_id in (${sql.join(ids)}) and e.person_id is null
    group by e.anonymous_id, i.person_id`.execute(db);
  return rows.map((r) => ({ ...r, event_count: Number(r.event_count) }));
}

/** Whether a visitor comes after the cursor's (last seen, id) in the list's order. */
const isAfter = (v: AnonymousVisitor, [seen, id]: [string, string]) =>
  v.last_seen_at < seen || (v.last_seen_at === seen && v.anonymous_id > id);

const byRecency = (a: AnonymousVisitor, b: AnonymousVisitor) =>
  a.last_seen_at === b.last_seen_at
    ? a.anonymous_id < b.anonymous_id
      ? -1
      : 1
    : a.last_seen_at > b.last_seen_at
      ? -1
      : 1;
