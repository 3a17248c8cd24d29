import 'server-only';
import type { DB } from '@/lib/db';
import { builtInSegments, findSegment } from '@/lib/cdp/engine/segments/builtins';
import type { SegmentDefinition } from '@/lib/cdp/engine/segments/schema';
import { afterKey, decodeCursor, toPage, type PageRequest } from './page';
import { membershipPredicate } from './segment-sql';

/**
 * Segment membership on the pipeline's data at `now`, evaluated in the database (./segment-sql.ts) with the same
 * meaning as the pure evaluator. Only people are evaluated (every built-in needs an email), and a stitched event
 * counts from the identify that attached it: an anonymous cart puts nobody in "Cart abandoners" until it is
 * identified.
 */

const summary = (s: SegmentDefinition) => ({ id: s.id, name: s.name, description: s.description ?? '' });

const members = (db: DB, segment: SegmentDefinition, now: Date) =>
  db.selectFrom('cdp_people as p').where(membershipPredicate(db, segment.condition, now));

async function memberCount(db: DB, segment: SegmentDefinition, now: Date): Promise<number> {
  const row = await members(db, segment, now)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listSegments(db: DB, now: Date) {
  const counted = [];
  for (const s of builtInSegments) counted.push({ ...summary(s), member_count: await memberCount(db, s, now) });
  return counted;
}

/** How many people are in the segment at `now`, or null for an unknown id. */
export async function segmentMemberCount(db: DB, id: string, now: Date): Promise<number | null> {
  const segment = findSegment(id);
  return segment ? memberCount(db, segment, now) : null;
}

/** The segment and one page of its members in person id order, or null for an unknown id. */
export async function segmentMembers(db: DB, id: string, now: Date, { cursor, limit = 100 }: PageRequest = {}) {
  const segment = findSegment(id);
  if (!segment) return null;
  let query = members(db, segment, now)
    .select(['p.id', 'p.email'])
    .orderBy('p.id')
    .limit(limit + 1);
  if (cursor) query = query.where(afterKey([{ column: 'p.id' }], decodeCursor(cursor, ['text'])));
  const page = toPage(
    await query.execute(),
    limit,
    (r) => [r.id],
    (r) => ({ person_id: r.id, email: r.email }),
  );
  return { segment: summary(segment), members: page.items, next_cursor: page.next_cursor };
}
