import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { HttpError } from '@/lib/common/http';
import { listPeople } from '@/lib/cdp/read/people';
import { segmentMembers } from '@/lib/cdp/read/segment-membership';
import { listAnonymousVisitors } from '@/lib/cdp/read/anonymous-visitors';
import { getAnonymousActivity, getTimeline, timelinePage } from '@/lib/cdp/read/timeline';
import { listOutbox } from '@/lib/cdp/read/outbox';
import { recentRuns } from '@/lib/cdp/read/journey-report';
import { addedToCart, DAY, freshDb, identify, ingest, MINUTE, T0, track } from './support';

// Cursor pagination of the ops reads: pages put together are the whole list in order, with nothing repeated or
// skipped, even for events that share a timestamp, and a forged cursor is a 400. A storage suite.

let db: DB;
beforeEach(async () => {
  db = await freshDb();
});

type PageOf<T> = { items: T[]; next_cursor: string | null };

async function allPages<T>(read: (cursor?: string) => Promise<PageOf<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    pages += 1;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return { items, pages };
}

describe('a person’s timeline', () => {
  beforeEach(async () => {
    // 23 events; groups of three share a timestamp, so the order needs seq as tie-breaker.
    const at = (i: number) => new Date(T0.getTime() - (10 - Math.floor(i / 3)) * MINUTE).toISOString();
    const calls = Array.from({ length: 22 }, (_, i) => track(`Event ${i}`, { userId: 'cus_1', timestamp: at(i) }));
    await ingest(db, [identify('cus_1', 'anon-1'), ...calls], T0);
  });

  it('reads page by page into exactly the whole timeline, in order', async () => {
    const whole = await getTimeline(db, 'cus_1');
    expect(whole).toHaveLength(23);
    const { items, pages } = await allPages((cursor) => timelinePage(db, 'cus_1', { cursor, limit: 5 }));
    expect(pages).toBe(5);
    expect(items.map((e) => e.seq)).toEqual(whole.map((e) => e.seq));
  });

  it('has no next cursor on the last page, and an exact fit ends there too', async () => {
    expect((await timelinePage(db, 'cus_1', { limit: 23 })).next_cursor).toBeNull();
    expect((await timelinePage(db, 'cus_1', { limit: 22 })).next_cursor).not.toBeNull();
  });

  it('does not repeat or skip events that arrive between two pages', async () => {
    const first = await timelinePage(db, 'cus_1', { limit: 10 });
    // An event older than the whole page arrives (late): it sorts before the cursor, so it is not on later pages.
    await ingest(db, [track('Late', { userId: 'cus_1', timestamp: new Date(T0.getTime() - DAY).toISOString() })], T0);
    const { items } = await allPages((cursor) =>
      cursor ? timelinePage(db, 'cus_1', { cursor, limit: 10 }) : Promise.resolve(first),
    );
    expect(new Set(items.map((e) => e.seq)).size).toBe(items.length);
    expect(items.map((e) => e.name)).not.toContain('Late');
    expect(items).toHaveLength(23);
  });

  it('refuses a cursor it did not issue with a 400', async () => {
    for (const cursor of [
      'nonsense',
      Buffer.from('["x"]').toString('base64url'),
      Buffer.from('{}').toString('base64url'),
    ])
      await expect(timelinePage(db, 'cus_1', { cursor, limit: 5 })).rejects.toMatchObject({
        constructor: HttpError,
        status: 400,
      });
  });
});

it('anonymous activity pages the same way', async () => {
  await ingest(
    db,
    Array.from({ length: 7 }, () => track('Product Viewed', { anonymousId: 'anon-7' })),
    T0,
  );
  const whole = (await getAnonymousActivity(db, 'anon-7')).events;
  const { items } = await allPages(async (cursor) => {
    const page = await getAnonymousActivity(db, 'anon-7', { cursor, limit: 3 });
    return { items: page.events, next_cursor: page.next_cursor };
  });
  expect(items.map((e) => e.seq)).toEqual(whole.map((e) => e.seq));
});

it('anonymous visitors page most recently seen first, ties by id, without repeats; a forged cursor is a 400', async () => {
  // Seven visitors, three of them last seen in the same minute (the order needs the id as tie-breaker); one has
  // identified, so its events are attached and it is not an anonymous visitor any more.
  const seen = [3, 3, 3, 2, 1, 0, 5];
  for (const [i, minutes] of seen.entries())
    await ingest(db, [track('Product Viewed', { anonymousId: `v-${i}` })], new Date(T0.getTime() + minutes * MINUTE));
  await ingest(db, [identify('cus_v', 'v-6')], T0);
  const whole = await listAnonymousVisitors(db, { limit: 500 });
  expect(whole.items.map((v) => v.anonymous_id)).toEqual(['v-0', 'v-1', 'v-2', 'v-3', 'v-4', 'v-5']);
  expect(whole.next_cursor).toBeNull();

  const { items, pages } = await allPages((cursor) => listAnonymousVisitors(db, { cursor, limit: 2 }));
  expect(pages).toBe(3);
  expect(items).toEqual(whole.items);
  for (const cursor of [
    'nonsense',
    Buffer.from('["x"]').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
  ])
    await expect(listAnonymousVisitors(db, { cursor, limit: 2 })).rejects.toMatchObject({
      constructor: HttpError,
      status: 400,
    });
});

it('a cursor PostgreSQL could not compare (NUL, a lone surrogate, a number beyond its integer) is a 400 on both', async () => {
  await ingest(db, [track('Product Viewed', { anonymousId: 'anon-c' })], T0);
  const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const reads = [
    (cursor: string) => listAnonymousVisitors(db, { cursor }),
    (cursor: string) => listPeople(db, { cursor }),
    (cursor: string) => getAnonymousActivity(db, 'anon-c', { cursor }),
  ];
  const keys = [
    [
      ['2026\u0000', 'x'],
      ['2026', '\ud800'],
      ['2026', 'a\u0000'],
    ],
    [
      ['2026\u0000', 'x'],
      ['x', '\udfff'],
    ],
    [
      ['2026\u0000', 1],
      ['2026-03-01T12:00:00.000Z', 2 ** 31],
      ['2026-03-01T12:00:00.000Z', -1],
    ],
  ];
  for (const [i, read] of reads.entries())
    for (const key of keys[i]!)
      await expect(read(forged(key)), JSON.stringify(key)).rejects.toMatchObject({ status: 400 });
  // The largest key that is one still reads (an empty page after it).
  const last = forged(['9999-12-31T23:59:59.999Z', 2 ** 31 - 1]);
  expect((await getAnonymousActivity(db, 'anon-c', { cursor: last })).events).toEqual([]);
});

// The console's search box and outbox filters reach these reads as typed (the ops API refuses %00 itself):
// `/ops?q=%00` was a 500 on PostgreSQL, which stores no NUL in text and answers a query for one with an error.
it('a search or filter with a NUL character finds nothing, on both databases', async () => {
  await ingest(db, [identify('cus_nul', 'anon-nul', { email: 'nul@example.com' })], T0);
  for (const filter of [{ q: 'nul\u0000' }, { q: '\u0000' }, { email: 'nul@example.com\u0000' }])
    expect(await listPeople(db, filter), JSON.stringify(filter)).toEqual({ items: [], next_cursor: null });
  expect((await listPeople(db, { q: 'nul' })).items.map((p) => p.id)).toEqual(['cus_nul']);
  for (const filter of [{ to: 'nul@example.com\u0000' }, { journey: '\u0000' }, { person: 'cus_nul\u0000' }])
    expect(await listOutbox(db, filter), JSON.stringify(filter)).toEqual({ items: [], next_cursor: null });
});

// The anonymous visitors took `["x","y"]` and answered their first page (their walk reads the time alone, and any
// stored time sorts before "x"); the other lists compared it as text too. A list sorted by a time takes a cursor
// whose time is one the pipeline writes, as every other forged cursor is refused.
it('a cursor whose time is not a stored time is a 400 on every list sorted by time', async () => {
  await ingest(db, [track('Product Viewed', { anonymousId: 'anon-t' })], T0);
  await ingest(db, [identify('cus_t', 'anon-t', { email: 't@example.com' })], T0);
  await ingest(db, [track('Product Viewed', { anonymousId: 'anon-u' })], T0);
  const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const lists: [string, (cursor: string) => Promise<unknown>, unknown][] = [
    ['anonymous visitors', (cursor) => listAnonymousVisitors(db, { cursor }), 'anon-u'],
    ['people', (cursor) => listPeople(db, { cursor }), 'cus_t'],
    ['outbox', (cursor) => listOutbox(db, { cursor }), 'msg_1'],
    ['journey runs', (cursor) => recentRuns(db, { cursor }), 'run_1'],
    ['timeline', (cursor) => timelinePage(db, 'cus_t', { cursor }), 1],
    ['anonymous activity', (cursor) => getAnonymousActivity(db, 'anon-u', { cursor }), 1],
  ];
  for (const [name, read, second] of lists) {
    for (const time of ['x', '2026', '2026-03-01', '2026-03-01T12:00:00Z', '2026-02-30T12:00:00.000Z', 20260301])
      await expect(read(forged([time, second])), `${name}: ${time}`).rejects.toMatchObject({
        constructor: HttpError,
        status: 400,
        message: expect.stringMatching(/^The cursor is not one this API issued/),
      });
    // The same key with a time as stored reads on from there.
    await expect(read(forged(['2026-03-01T12:00:00.000Z', second])), name).resolves.toBeTruthy();
  }
});

it('people and segment members page without repeats', async () => {
  for (let i = 0; i < 7; i++) {
    const at = new Date(T0.getTime() - i * MINUTE);
    await ingest(db, [identify(`cus_${i}`, `anon-${i}`, { email: `p${i}@example.com` })], at);
    await ingest(db, [addedToCart(`anon-${i}`)], at);
  }
  const people = await allPages((cursor) => listPeople(db, { cursor, limit: 3 }));
  expect(people.pages).toBe(3);
  expect(people.items.map((p) => p.id)).toEqual(['cus_0', 'cus_1', 'cus_2', 'cus_3', 'cus_4', 'cus_5', 'cus_6']);

  const members = await allPages(async (cursor) => {
    const found = await segmentMembers(db, 'cart-abandoners', T0, { cursor, limit: 2 });
    return { items: found!.members, next_cursor: found!.next_cursor };
  });
  expect(members.items.map((m) => m.person_id)).toEqual(people.items.map((p) => p.id));
});
