import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { getPerson, listPeople } from '@/lib/cdp/read/people';
import { getTimeline } from '@/lib/cdp/read/timeline';
import { call, DAY, eventsOf, freshDb, identify, ingest, MINUTE, T0, testClock, track } from './support';

let db: DB;
let clock: ReturnType<typeof testClock>;
beforeEach(async () => {
  db = await freshDb();
  clock = testClock();
});

describe('rule 1: anonymous events', () => {
  it('are stored under their anonymousId with no person', async () => {
    await ingest(db, [track('Product Viewed', { anonymousId: 'anon-1' })], clock.now);
    const [event] = await eventsOf(db, 'anon-1');
    expect(event).toMatchObject({ anonymous_id: 'anon-1', person_id: null, stitched: 0, user_id: null });
    expect(await listPeople(db)).toEqual({ items: [], next_cursor: null });
  });
});

describe('rule 2: identify with userId and anonymousId', () => {
  it('creates the person, links the id and stitches its anonymous events into the timeline', async () => {
    await ingest(
      db,
      [track('Product Viewed', { anonymousId: 'anon-1' }), track('Added to Cart', { anonymousId: 'anon-1' })],
      clock.now,
    );
    clock.advance(10 * MINUTE);
    await ingest(db, [identify('cus_1', 'anon-1', { email: 'Ana@Example.com', plan: 'free' })], clock.now);

    const person = await getPerson(db, 'cus_1');
    expect(person).toMatchObject({
      email: 'ana@example.com',
      anonymous_ids: ['anon-1'],
      first_seen_at: T0.toISOString(),
      last_seen_at: clock.now.toISOString(),
    });
    const timeline = await getTimeline(db, 'cus_1');
    expect(timeline.map((e) => [e.name ?? e.type, e.stitched])).toEqual([
      ['Product Viewed', true],
      ['Added to Cart', true],
      ['identify', false],
    ]);
    expect(timeline[0]!.attached_at).toBe(clock.now.toISOString());
  });

  it('merges traits with later values winning', async () => {
    await ingest(db, [identify('cus_1', 'anon-1', { email: 'a@x.io', plan: 'free', city: 'Oslo' })], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_1', undefined, { plan: 'pro' })], clock.now);
    expect((await getPerson(db, 'cus_1'))!.traits).toEqual({ email: 'a@x.io', plan: 'pro', city: 'Oslo' });
  });

  it('stitches events received exactly 30 days before the identify, not one millisecond older', async () => {
    await ingest(db, [track('Quiz Started', { anonymousId: 'anon-1' })], clock.now);
    clock.advance(1);
    await ingest(db, [track('Quiz Completed', { anonymousId: 'anon-1' })], clock.now);
    clock.advance(30 * DAY);
    await ingest(db, [identify('cus_1', 'anon-1')], clock.now);

    const [tooOld, edge] = await eventsOf(db, 'anon-1');
    expect(tooOld).toMatchObject({ name: 'Quiz Started', person_id: null, stitched: 0 });
    expect(edge).toMatchObject({ name: 'Quiz Completed', person_id: 'cus_1', stitched: 1 });
  });
});

describe('rule 3: anonymous events after the identify', () => {
  it('are stitched up to exactly 5 minutes later; later ones wait for the next identify', async () => {
    await ingest(db, [identify('cus_1', 'anon-1')], clock.now);
    clock.advance(5 * MINUTE);
    await ingest(db, [track('Product Viewed', { anonymousId: 'anon-1' })], clock.now);
    clock.advance(1);
    await ingest(db, [track('Added to Cart', { anonymousId: 'anon-1' })], clock.now);

    const [, inWindow, late] = await eventsOf(db, 'anon-1');
    expect(inWindow).toMatchObject({ person_id: 'cus_1', stitched: 1 });
    expect(late).toMatchObject({ person_id: null, stitched: 0 });

    clock.advance(DAY);
    await ingest(db, [identify('cus_1', 'anon-1')], clock.now);
    expect((await eventsOf(db, 'anon-1'))[2]).toMatchObject({ person_id: 'cus_1', stitched: 1 });
  });

  it('restart the 5-minute window with each identify of the id', async () => {
    await ingest(db, [identify('cus_1', 'anon-1')], clock.now);
    clock.advance(DAY);
    await ingest(db, [identify('cus_1', 'anon-1')], clock.now);
    clock.advance(4 * MINUTE);
    await ingest(db, [track('Product Viewed', { anonymousId: 'anon-1' })], clock.now);
    expect((await eventsOf(db, 'anon-1')).at(-1)).toMatchObject({ person_id: 'cus_1', stitched: 1 });
  });
});

describe('rule 4: events with a userId', () => {
  it('go straight to that person, who is created if absent', async () => {
    await ingest(db, [track('Order Completed', { userId: 'cus_9', anonymousId: 'anon-9' })], clock.now);
    const timeline = await getTimeline(db, 'cus_9');
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ name: 'Order Completed', stitched: false, person_id: 'cus_9' });
    expect(await getPerson(db, 'cus_9')).not.toBeNull();
  });
});

describe('rule 5: many anonymous ids', () => {
  it('a person owns every id an identify carried (phone, laptop)', async () => {
    await ingest(
      db,
      [track('Product Viewed', { anonymousId: 'phone' }), track('Product Viewed', { anonymousId: 'laptop' })],
      clock.now,
    );
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_1', 'phone')], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_1', 'laptop')], clock.now);

    expect((await getPerson(db, 'cus_1'))!.anonymous_ids.sort()).toEqual(['laptop', 'phone']);
    const devices = new Set((await getTimeline(db, 'cus_1')).filter((e) => e.stitched).map((e) => e.anonymous_id));
    expect(devices).toEqual(new Set(['phone', 'laptop']));
  });

  it('an id identified as someone else brings the events stitched through it along', async () => {
    await ingest(db, [track('Product Viewed', { anonymousId: 'shared' })], clock.now);
    // Say someone typed cus_1's email into this browser, then signed in as themselves.
    await ingest(db, [identify('cus_1', 'shared')], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_2', 'shared')], clock.now);

    expect((await getTimeline(db, 'cus_1')).map((e) => e.name ?? e.type)).toEqual(['identify']);
    expect((await getTimeline(db, 'cus_2')).map((e) => [e.name ?? e.type, e.stitched])).toEqual([
      ['Product Viewed', true],
      ['identify', false],
    ]);
    expect((await getPerson(db, 'cus_1'))!.anonymous_ids).toEqual([]);
    expect((await getPerson(db, 'cus_2'))!.anonymous_ids).toEqual(['shared']);
  });
});

describe('rule 6: merge', () => {
  it('an identify whose userId and email belong to two people merges the email one into the userId one', async () => {
    await ingest(db, [track('Product Viewed', { anonymousId: 'a-phone' }), identify('cus_a', 'a-phone')], clock.now);
    await ingest(
      db,
      [
        track('Quiz Started', { anonymousId: 'b-laptop' }),
        identify('cus_b', 'b-laptop', { email: 'shared@x.io', vip: true }),
      ],
      clock.now,
    );
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_a', undefined, { email: 'Shared@X.io' })], clock.now);

    expect(await getPerson(db, 'cus_b')).toBeNull();
    const primary = await getPerson(db, 'cus_a');
    expect(primary).toMatchObject({
      email: 'shared@x.io',
      merged_from: ['cus_b'],
      traits: { email: 'Shared@X.io', vip: true },
    });
    expect(primary!.anonymous_ids.sort()).toEqual(['a-phone', 'b-laptop']);
    const names = (await getTimeline(db, 'cus_a')).map((e) => e.name ?? e.type);
    expect(names).toEqual(expect.arrayContaining(['Product Viewed', 'Quiz Started']));
    expect(names).toHaveLength(5);
    const merges = await db.selectFrom('cdp_merges').selectAll().execute();
    expect(merges).toMatchObject([
      { primary_id: 'cus_a', secondary_id: 'cus_b', reason: 'email', merged_at: clock.now.toISOString() },
    ]);
  });

  it('later events for the merged-away id land on the primary instead of recreating it', async () => {
    await ingest(db, [identify('cus_a', 'a1'), identify('cus_b', 'b1', { email: 'b@x.io' })], clock.now);
    await ingest(db, [identify('cus_a', undefined, { email: 'b@x.io' })], clock.now);
    await ingest(db, [track('Order Completed', { userId: 'cus_b' })], clock.now);
    expect(await getPerson(db, 'cus_b')).toBeNull();
    expect((await getTimeline(db, 'cus_a')).at(-1)).toMatchObject({ name: 'Order Completed', user_id: 'cus_b' });
  });

  it('does not merge when the email already belongs to the same person', async () => {
    await ingest(
      db,
      [identify('cus_a', 'a1', { email: 'a@x.io' }), identify('cus_a', 'a2', { email: 'A@x.io' })],
      clock.now,
    );
    expect(await db.selectFrom('cdp_merges').selectAll().execute()).toEqual([]);
  });
});

describe('rule 7: purge', () => {
  it('deletes never-identified ids idle for more than 30 days, keeping the exact edge and identified ids', async () => {
    const { purgeAnonymous } = await import('@/lib/cdp/identity/purge');
    await ingest(db, [track('Product Viewed', { anonymousId: 'stale' })], clock.now);
    clock.advance(1);
    await ingest(
      db,
      [track('Product Viewed', { anonymousId: 'edge' }), track('Product Viewed', { anonymousId: 'known' })],
      clock.now,
    );
    await ingest(db, [identify('cus_1', 'known')], clock.now);
    clock.advance(6 * MINUTE);
    await ingest(db, [track('Added to Cart', { anonymousId: 'known' })], clock.now); // stays anonymous (late)
    clock.advance(30 * DAY - 6 * MINUTE);

    expect(await purgeAnonymous(db, clock.now)).toBe(1);
    expect(await eventsOf(db, 'stale')).toEqual([]);
    expect(await eventsOf(db, 'edge')).toHaveLength(1);
    expect(await eventsOf(db, 'known')).toHaveLength(3);
    clock.advance(1);
    expect(await purgeAnonymous(db, clock.now)).toBe(1);
    expect(await eventsOf(db, 'edge')).toEqual([]);
  });
});

describe('rule 8: alias', () => {
  it('links an anonymous previousId to the userId and stitches its events', async () => {
    await ingest(db, [track('Product Viewed', { anonymousId: 'anon-1' })], clock.now);
    await ingest(db, [call('alias', { previousId: 'anon-1', userId: 'cus_1' })], clock.now);
    expect((await getPerson(db, 'cus_1'))!.anonymous_ids).toEqual(['anon-1']);
    expect((await getTimeline(db, 'cus_1')).map((e) => [e.type, e.stitched])).toEqual([
      ['track', true],
      ['alias', false],
    ]);
  });

  it('merges a previousId that is a person into the userId', async () => {
    await ingest(db, [identify('legacy_7', 'old-device', { email: 'l@x.io' })], clock.now);
    await ingest(db, [call('alias', { previousId: 'legacy_7', userId: 'cus_7' })], clock.now);
    expect(await getPerson(db, 'legacy_7')).toBeNull();
    expect(await getPerson(db, 'cus_7')).toMatchObject({
      email: 'l@x.io',
      anonymous_ids: ['old-device'],
      merged_from: ['legacy_7'],
    });
  });
});

describe('timeline', () => {
  it('orders events by corrected timestamp, not arrival, and keeps first/last seen in step', async () => {
    const late = new Date(T0.getTime() - 3 * MINUTE).toISOString();
    await ingest(db, [track('Checkout Started', { userId: 'cus_1', timestamp: T0.toISOString() })], clock.now);
    await ingest(db, [track('Added to Cart', { userId: 'cus_1', timestamp: late })], clock.now);
    const timeline = await getTimeline(db, 'cus_1');
    expect(timeline.map((e) => e.name)).toEqual(['Added to Cart', 'Checkout Started']);
    expect((await listPeople(db)).items[0]).toMatchObject({
      id: 'cus_1',
      first_seen_at: late,
      last_seen_at: T0.toISOString(),
      event_count: 2,
    });
  });

  it('keeps first/last seen in step when one batch stitches, attaches and identifies', async () => {
    const at = (minutesAgo: number) => new Date(T0.getTime() - minutesAgo * MINUTE).toISOString();
    await ingest(
      db,
      [
        track('Product Viewed', { anonymousId: 'anon-9', timestamp: at(5) }),
        identify('cus_9', 'anon-9'),
        track('Added to Cart', { anonymousId: 'anon-9', timestamp: at(1) }),
        track('Checkout Started', { userId: 'cus_9', timestamp: at(10) }),
      ],
      clock.now,
    );
    expect((await listPeople(db)).items[0]).toMatchObject({
      id: 'cus_9',
      first_seen_at: at(10),
      last_seen_at: T0.toISOString(),
      event_count: 4,
    });
  });
});
