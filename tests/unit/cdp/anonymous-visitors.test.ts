import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { listAnonymousVisitors, type AnonymousVisitor } from '@/lib/cdp/read/anonymous-visitors';
import { freshDb, identify, ingest, MINUTE, T0, track } from './support';

// The console's anonymous visitors, read by walking the unattached events newest first (migration 0026): the same
// list, in the same order, as grouping every unattached event would give, page by page, however the visitors'
// events are spread (shared times, bursts longer than one step of the walk, stitched and held calls). A storage
// suite: SQLite and PostgreSQL.

let db: DB;
beforeEach(async () => {
  db = await freshDb();
});

/** The list by its definition: every unattached event grouped by anonymous id, latest first, then by id. */
async function reference(): Promise<AnonymousVisitor[]> {
  const rows = await db
    .selectFrom('cdp_events as e')
    .leftJoin('cdp_identities as i', 'i.anonymous_id', 'e.anonymous_id')
    .select(['e.anonymous_id', 'i.person_id'])
    .select((eb) => [eb.fn.countAll<number>().as('event_count'), eb.fn.max('e.received_at').as('last_seen_at')])
    .where('e.anonymous_id', 'is not', null)
    .where('e.person_id', 'is', null)
    .groupBy(['e.anonymous_id', 'i.person_id'])
    .execute();
  return rows
    .map((r) => ({ ...r, anonymous_id: r.anonymous_id!, event_count: Number(r.event_count) }))
    .sort((a, b) =>
      a.last_seen_at === b.last_seen_at
        ? Number(a.anonymous_id > b.anonymous_id) - Number(a.anonymous_id < b.anonymous_id)
        : Number(a.last_seen_at < b.last_seen_at) - Number(a.last_seen_at > b.last_seen_at),
    );
}

async function allPages(limit: number) {
  const items: AnonymousVisitor[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listAnonymousVisitors(db, { cursor, limit });
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
    pages += 1;
  } while (cursor && pages < 1000);
  return { items, pages };
}

const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
const views = (anonymousId: string, n: number) =>
  Array.from({ length: n }, () => track('Product Viewed', { anonymousId }));

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('anonymous visitors', () => {
  it('page by page, the list grouping every unattached event gives: shared times, bursts, stitched and held calls', async () => {
    const next = random(13);
    // 70 visitors over 12 distinct minutes (so many share their latest time), 1–4 events each at up to 3 times.
    const byMinute = new Map<number, ReturnType<typeof track>[]>();
    const add = (minute: number, calls: ReturnType<typeof track>[]) =>
      byMinute.set(minute, [...(byMinute.get(minute) ?? []), ...calls]);
    for (let v = 0; v < 70; v++) {
      for (let k = 0, times = 1 + Math.floor(next() * 3); k < times; k++)
        add(Math.floor(next() * 12), views(`v-${String(v).padStart(2, '0')}`, 1 + Math.floor(next() * 2)));
    }
    // Two bursts longer than the walk's first steps (256, then 512 entries), one of them the latest activity.
    add(11, views('burst-late', 700));
    add(5, views('burst-mid', 300));
    for (const [minute, calls] of [...byMinute].sort((a, b) => a[0] - b[0])) await ingest(db, calls, at(minute));
    // Three visitors sign up: their events join them, so they leave the list.
    for (const id of ['v-03', 'v-10', 'v-41']) await ingest(db, [identify(`cus_${id}`, id)], at(12));
    // A browser that only sent an identify nothing vouched for (held back, on no one) is still anonymous activity.
    await ingest(db, [identify('cus_victim', 'held-only', { email: 'v@example.com' })], at(4), { trusted: false });

    const expected = await reference();
    expect(expected.map((v) => v.anonymous_id)).toEqual(expect.arrayContaining(['burst-late', 'held-only']));
    expect(expected.map((v) => v.anonymous_id)).not.toContain('v-03');
    for (const limit of [1, 3, 20, 500]) {
      const { items, pages } = await allPages(limit);
      expect(items, `pages of ${limit}`).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
    }
  });

  it('a page cut among visitors who share their latest time goes by id, however far the walk must go', async () => {
    // 300 visitors last seen at the same moment: the walk meets them from the highest id down, and its first step
    // (256 entries) ends among them, so the page's first ids are met only by the step after.
    const ids = Array.from({ length: 300 }, (_, i) => `a${String(i).padStart(3, '0')}`);
    await ingest(
      db,
      ids.map((id) => track('Product Viewed', { anonymousId: id })),
      at(0),
    );
    const page = await listAnonymousVisitors(db, { limit: 20 });
    expect(page.items.map((v) => v.anonymous_id)).toEqual(ids.slice(0, 20));
  });

  it('a burst of one visitor does not hide the others on the first page', async () => {
    for (let v = 0; v < 25; v++) await ingest(db, views(`quiet-${String(v).padStart(2, '0')}`, 1), at(v));
    await ingest(db, views('bot', 3000), at(30));
    const page = await listAnonymousVisitors(db, { limit: 20 });
    expect(page.items[0]).toMatchObject({ anonymous_id: 'bot', event_count: 3000 });
    expect(page.items.slice(1).map((v) => v.anonymous_id)).toEqual(
      Array.from({ length: 19 }, (_, i) => `quiet-${String(24 - i).padStart(2, '0')}`),
    );
    expect(page.next_cursor).not.toBeNull();
  });

  it('a visitor seen again after a page was read moves up: the next page does not show them twice', async () => {
    for (let v = 0; v < 6; v++) await ingest(db, views(`v-${v}`, 2), at(10 - v));
    const first = await listAnonymousVisitors(db, { limit: 3 });
    expect(first.items.map((v) => v.anonymous_id)).toEqual(['v-0', 'v-1', 'v-2']);
    // v-4, on the next page so far, comes back: on a fresh first page now, not on the page after the cursor.
    await ingest(db, views('v-4', 1), at(20));
    const second = await listAnonymousVisitors(db, { cursor: first.next_cursor!, limit: 3 });
    expect(second.items.map((v) => v.anonymous_id)).toEqual(['v-3', 'v-5']);
    expect(second.next_cursor).toBeNull();
    expect((await listAnonymousVisitors(db, { limit: 1 })).items).toEqual([
      { anonymous_id: 'v-4', person_id: null, event_count: 3, last_seen_at: at(20).toISOString() },
    ]);
  });

  it('an empty pipeline has no visitors', async () => {
    expect(await listAnonymousVisitors(db)).toEqual({ items: [], next_cursor: null });
  });
});
