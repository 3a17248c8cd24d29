import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { getPerson, listPeople } from '@/lib/cdp/read/people';
import { getTimeline } from '@/lib/cdp/read/timeline';
import { qualityReport } from '@/lib/cdp/read/quality-report';
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
  it('are stitched up to exactly 5 minutes later; later ones stay anonymous', async () => {
    await ingest(db, [identify('cus_1', 'anon-1')], clock.now);
    clock.advance(5 * MINUTE);
    await ingest(db, [track('Product Viewed', { anonymousId: 'anon-1' })], clock.now);
    clock.advance(1);
    await ingest(db, [track('Added to Cart', { anonymousId: 'anon-1' })], clock.now);

    const [, inWindow, late] = await eventsOf(db, 'anon-1');
    expect(inWindow).toMatchObject({ person_id: 'cus_1', stitched: 1 });
    expect(late).toMatchObject({ person_id: null, stitched: 0 });
  });

  it('a late event is not pulled in by identifying the same anonymous id again, only sent under a new one', async () => {
    await ingest(db, [identify('cus_1', 'anon-1')], clock.now);
    clock.advance(6 * MINUTE);
    await ingest(db, [track('Added to Cart', { anonymousId: 'anon-1', properties: { try: 1 } })], clock.now);
    clock.advance(DAY);
    await ingest(db, [identify('cus_1', 'anon-1')], clock.now);
    clock.advance(DAY);
    await ingest(db, [identify('cus_1', 'anon-1')], clock.now);
    expect((await eventsOf(db, 'anon-1')).map((e) => [e.type, e.person_id])).toEqual([
      ['identify', 'cus_1'],
      ['track', null],
      ['identify', 'cus_1'],
      ['identify', 'cus_1'],
    ]);

    // Customer.io's way to attach it: resend the event under a new anonymous id, then identify with that id.
    clock.advance(MINUTE);
    await ingest(db, [track('Added to Cart', { anonymousId: 'anon-2', properties: { try: 2 } })], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_1', 'anon-2')], clock.now);
    expect((await eventsOf(db, 'anon-2'))[0]).toMatchObject({ person_id: 'cus_1', stitched: 1 });
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

describe('rule 6: auto-merge by email (Customer.io)', () => {
  const merges = () => db.selectFrom('cdp_merges').selectAll().execute();
  const conflicts = async (personId: string) =>
    (await getTimeline(db, personId)).flatMap((e) => e.violations.filter((v) => v.kind === 'identity_conflict'));

  it('never merges two complete customers: identify(cus_b, email of cus_a) changes neither', async () => {
    await ingest(
      db,
      [identify('cus_a', 'a-phone', { email: 'a@x.io' }), track('Order Completed', { userId: 'cus_a' })],
      clock.now,
    );
    await ingest(db, [identify('cus_b', 'b-laptop', { email: 'b@x.io', plan: 'free' })], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_b', 'b-laptop', { email: 'A@x.io', plan: 'vip' })], clock.now);

    expect(await merges()).toEqual([]);
    const a = await getPerson(db, 'cus_a');
    expect(a).toMatchObject({ email: 'a@x.io', anonymous_ids: ['a-phone'], merged_from: [] });
    expect((await getTimeline(db, 'cus_a')).map((e) => e.name ?? e.type)).toEqual(['identify', 'Order Completed']);
    // Like Customer.io's "Failed Attribute Change": none of the identify's traits were applied.
    expect(await getPerson(db, 'cus_b')).toMatchObject({ email: 'b@x.io', traits: { email: 'b@x.io', plan: 'free' } });
    expect(await conflicts('cus_b')).toEqual([
      expect.objectContaining({
        kind: 'identity_conflict',
        path: 'traits.email',
        message: expect.stringMatching(/cus_a/),
      }),
    ]);
    const identifies = (await qualityReport(db)).find((r) => r.type === 'identify')!;
    expect(identifies.violations).toEqual({ identity_conflict: 1 });
  });

  it('refuses too when the person found by id has no email but the one found by email has an id', async () => {
    await ingest(db, [identify('cus_a', 'a1', { email: 'a@x.io' })], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_b', 'b1', { email: 'a@x.io' })], clock.now);
    expect(await merges()).toEqual([]);
    expect(await getPerson(db, 'cus_a')).toMatchObject({ email: 'a@x.io' });
    expect(await getPerson(db, 'cus_b')).toMatchObject({ email: null, traits: {}, anonymous_ids: ['b1'] });
    expect(await conflicts('cus_b')).toHaveLength(1);
  });

  it('merges a person known only by email into an older one found by id without an email', async () => {
    await ingest(db, [identify('cus_1', 'laptop', { plan: 'free', city: '' })], clock.now);
    clock.advance(DAY);
    // A lead keyed on the address (newsletter form): Customer.io's profile with an email and no id.
    await ingest(
      db,
      [
        identify('lead@x.io', undefined, { email: 'lead@x.io', source: 'newsletter', city: 'Oslo' }),
        track('Quiz Started', { userId: 'lead@x.io' }),
      ],
      clock.now,
    );
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_1', 'laptop', { email: 'Lead@X.io' })], clock.now);

    expect(await getPerson(db, 'lead@x.io')).toBeNull();
    expect(await getPerson(db, 'cus_1')).toMatchObject({
      email: 'lead@x.io',
      merged_from: ['lead@x.io'],
      // As in Customer.io, the survivor's traits win, and one it has unset or empty takes the other's value.
      traits: { email: 'Lead@X.io', plan: 'free', source: 'newsletter', city: 'Oslo' },
    });
    expect(await merges()).toMatchObject([
      { primary_id: 'cus_1', secondary_id: 'lead@x.io', reason: 'email', merged_at: clock.now.toISOString() },
    ]);
    const inherited = (await getTimeline(db, 'cus_1')).filter((e) => e.user_id === 'lead@x.io');
    expect(inherited.map((e) => e.name ?? e.type)).toEqual(['identify', 'Quiz Started']);
    const marks = await db.selectFrom('cdp_events').select('merged_from').where('user_id', '=', 'lead@x.io').execute();
    expect(marks).toEqual([{ merged_from: 'lead@x.io' }, { merged_from: 'lead@x.io' }]);
  });

  it('keeps the older profile: a newer id joins the lead known by email, and lands there afterwards', async () => {
    await ingest(db, [identify('lead@x.io', undefined, { email: 'lead@x.io' })], clock.now);
    clock.advance(DAY);
    await ingest(db, [identify('cus_1', 'laptop', { email: 'lead@x.io', plan: 'pro' })], clock.now);
    await ingest(db, [track('Order Completed', { userId: 'cus_1' })], clock.now);

    expect(await getPerson(db, 'cus_1')).toBeNull();
    expect(await getPerson(db, 'lead@x.io')).toMatchObject({
      email: 'lead@x.io',
      merged_from: ['cus_1'],
      anonymous_ids: ['laptop'],
      traits: { email: 'lead@x.io', plan: 'pro' },
    });
    expect((await getTimeline(db, 'lead@x.io')).at(-1)).toMatchObject({ name: 'Order Completed', user_id: 'cus_1' });

    // Having taken in cus_1, the profile has an id: a second customer with the address is refused.
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_2', 'phone', { email: 'lead@x.io' })], clock.now);
    expect(await db.selectFrom('cdp_merges').select('secondary_id').execute()).toEqual([{ secondary_id: 'cus_1' }]);
    expect(await getPerson(db, 'cus_2')).toMatchObject({ email: null });
    expect(await conflicts('cus_2')).toHaveLength(1);
  });

  it('treats an internationalised address as one, however it is spelled (case, composed or not)', async () => {
    // A lead keyed on a non-ASCII address, then a customer whose identify spells it decomposed and upper-cased.
    await ingest(db, [identify('josé@exemple.fr', undefined, { email: 'josé@exemple.fr' })], clock.now);
    clock.advance(DAY);
    await ingest(db, [identify('cus_1', 'laptop', { email: 'JOSE\u0301@Exemple.FR' })], clock.now);

    expect(await getPerson(db, 'josé@exemple.fr')).toMatchObject({
      email: 'josé@exemple.fr',
      merged_from: ['cus_1'],
      anonymous_ids: ['laptop'],
    });
    expect(await conflicts('cus_1')).toEqual([]);
    // The console's filters find it by any spelling too.
    for (const spelling of ['JOSÉ@EXEMPLE.FR', 'jose\u0301@exemple.fr'])
      expect((await listPeople(db, { email: spelling })).items.map((p) => p.id)).toEqual(['josé@exemple.fr']);
    expect((await listPeople(db, { q: 'JOSÉ' })).items.map((p) => p.id)).toEqual(['josé@exemple.fr']);
  });

  it('treats an internationalised domain as one, in Unicode or in its ASCII (xn--) spelling', async () => {
    await ingest(db, [identify('user@bücher.de', undefined, { email: 'user@bücher.de' })], clock.now);
    clock.advance(DAY);
    await ingest(db, [identify('cus_bu', 'tablet', { email: 'User@XN--BCHER-KVA.de' })], clock.now);

    expect(await getPerson(db, 'user@bücher.de')).toMatchObject({
      email: 'user@bücher.de',
      merged_from: ['cus_bu'],
      anonymous_ids: ['tablet'],
    });
    expect((await listPeople(db, { email: 'user@xn--bcher-kva.de' })).items.map((p) => p.id)).toEqual([
      'user@bücher.de',
    ]);
  });

  it('does not merge when the email already belongs to the same person', async () => {
    await ingest(
      db,
      [identify('cus_a', 'a1', { email: 'a@x.io' }), identify('cus_a', 'a2', { email: 'A@x.io' })],
      clock.now,
    );
    expect(await merges()).toEqual([]);
    expect(await conflicts('cus_a')).toEqual([]);
  });
});

describe('rule 7: purge', () => {
  it('deletes each anonymous event no person took in once older than 30 days, by its own age', async () => {
    const { purgeAnonymous } = await import('@/lib/cdp/identity/purge');
    await ingest(db, [track('Product Viewed', { anonymousId: 'active' })], clock.now);
    await ingest(db, [identify('cus_1', 'known')], clock.now);
    clock.advance(1);
    await ingest(db, [track('Product Viewed', { anonymousId: 'edge' })], clock.now);
    clock.advance(6 * MINUTE);
    await ingest(db, [track('Added to Cart', { anonymousId: 'known' })], clock.now); // late: stays anonymous
    clock.advance(29 * DAY);
    await ingest(db, [track('Product Viewed', { anonymousId: 'active' })], clock.now); // the id is still in use
    clock.advance(DAY - 6 * MINUTE);

    // Now T0 + 30 days + 1 ms: only what was received at T0 is past the edge.
    expect(await purgeAnonymous(db, clock.now)).toBe(1);
    expect((await eventsOf(db, 'active')).map((e) => e.received_at)).toEqual([
      new Date(T0.getTime() + 1 + 6 * MINUTE + 29 * DAY).toISOString(),
    ]);
    expect(await eventsOf(db, 'edge')).toHaveLength(1);
    clock.advance(6 * MINUTE + 1);
    expect(await purgeAnonymous(db, clock.now)).toBe(2);
    expect(await eventsOf(db, 'edge')).toEqual([]);
    // The identified id keeps what its person took in (the identify); its late anonymous event is gone.
    expect((await eventsOf(db, 'known')).map((e) => e.type)).toEqual(['identify']);
  });

  it('purges a month of anonymous traffic a chunk at a time, giving the event loop turns in between', async () => {
    const { purgeAnonymous } = await import('@/lib/cdp/identity/purge');
    const { DELETE_CHUNK_ROWS } = await import('@/lib/db/delete-in-chunks');
    const old = Array.from({ length: 2 * DELETE_CHUNK_ROWS + 1 }, (_, i) =>
      track('Product Viewed', { anonymousId: `visitor-${i % 7}` }),
    );
    for (let i = 0; i < old.length; i += 500)
      await ingest(db, old.slice(i, i + 500), new Date(T0.getTime() - 31 * DAY));
    await ingest(db, [track('Product Viewed', { anonymousId: 'visitor-0' })], clock.now); // recent: stays

    let finished = false;
    const purging = purgeAnonymous(db, clock.now).finally(() => (finished = true));
    const turnDuringPurge = await new Promise<boolean>((resolve) => setImmediate(() => resolve(!finished)));
    expect(await purging).toBe(old.length);
    expect(turnDuringPurge).toBe(true);
    expect(await eventsOf(db, 'visitor-0')).toHaveLength(1);
  });

  it('keeps identity calls held back for want of a signature: a record of what was tried, not anonymous activity', async () => {
    const { purgeAnonymous } = await import('@/lib/cdp/identity/purge');
    await ingest(db, [identify('cus_victim', 'browser-1', { email: 'v@x.io' })], clock.now, { trusted: false });
    clock.advance(31 * DAY);
    expect(await purgeAnonymous(db, clock.now)).toBe(0);
    expect(await eventsOf(db, 'browser-1')).toMatchObject([{ identity_check: 'unverified', person_id: null }]);
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
  // A new event widens its person's range without reading their events (SeenRefresh); what can take events away
  // recomputes. Either way the stored range must be min/max over the person's events, checked after every request.
  it('keeps first/last seen at min/max of the events through out-of-order batches, a relink and a merge', async () => {
    const at = (minutesAgo: number) => new Date(T0.getTime() - minutesAgo * MINUTE).toISOString();
    const on = (userId: string, minutesAgo: number) => track('Product Viewed', { userId, timestamp: at(minutesAgo) });
    const requests = [
      [on('cus_a', 5), on('cus_a', 20), on('cus_b', 3), on('cus_a', 1)],
      // Each batch's range half inside the stored one: only its other end moves.
      [on('cus_a', 10), on('cus_a', 0.5)],
      [on('cus_a', 30)],
      [on('cus_a', 0)],
      [on('cus_a', 40), on('cus_a', 10), on('cus_b', 70), on('cus_a', 2)],
      [on('cus_a', 45), on('cus_a', 12)],
      [track('Quiz Started', { anonymousId: 'anon-x', timestamp: at(60) })],
      // Stitches anon-x's event into cus_a (earlier than anything of theirs), then moves it to cus_c.
      [identify('cus_a', 'anon-x')],
      [on('cus_a', 35), identify('cus_c', 'anon-x'), on('cus_a', 15)],
      [on('cus_a', 36)],
      // cus_b's events (the earliest) join cus_a, around calls that only widen.
      [on('cus_a', 50), call('alias', { userId: 'cus_a', previousId: 'cus_b' }), on('cus_a', 4)],
      [on('cus_a', 6)],
      // Joins cus_d (5 minutes after its id's identify), then leaves with its id for cus_e in the same batch.
      [identify('cus_d', 'anon-y')],
      [track('Quiz Started', { anonymousId: 'anon-y', timestamp: at(80) }), identify('cus_e', 'anon-y')],
    ];
    for (const calls of requests) {
      await ingest(db, calls, clock.now);
      const people = await db.selectFrom('cdp_people').select(['id', 'first_seen_at', 'last_seen_at']).execute();
      const events = await db
        .selectFrom('cdp_events')
        .select((eb) => ['person_id as id', eb.fn.min('timestamp').as('first'), eb.fn.max('timestamp').as('last')])
        .where('person_id', 'is not', null)
        .groupBy('person_id')
        .execute();
      const byId = (a: { id: string | null }, b: { id: string | null }) => (a.id! < b.id! ? -1 : 1);
      expect(people.map((p) => ({ id: p.id, first: p.first_seen_at, last: p.last_seen_at })).sort(byId)).toEqual(
        events.sort(byId),
      );
    }
    expect(await db.selectFrom('cdp_people').select('id').orderBy('id').execute()).toEqual([
      { id: 'cus_a' },
      { id: 'cus_c' },
      { id: 'cus_d' },
      { id: 'cus_e' },
    ]);
    const [first, last] = await db
      .selectFrom('cdp_people')
      .select(['first_seen_at', 'last_seen_at'])
      .where('id', '=', 'cus_a')
      .executeTakeFirstOrThrow()
      .then((p) => [p.first_seen_at, p.last_seen_at]);
    expect([first, last]).toEqual([at(70), at(0)]);
  });
});

// The ingest reads the identity graph once per request (identity/placement.ts) and again after any call that
// changed it: these batches change it halfway through.
describe('one request, read once for all its calls', () => {
  it('a call after an alias in the same batch lands on the person its userId was merged into', async () => {
    await ingest(db, [identify('legacy_8', 'dev-8'), identify('cus_8', 'dev-9')], clock.now);
    await ingest(
      db,
      [
        track('Product Viewed', { userId: 'legacy_8' }),
        call('alias', { previousId: 'legacy_8', userId: 'cus_8' }),
        track('Added to Cart', { userId: 'legacy_8' }),
        track('Checkout Started', { userId: 'new_8' }),
        track('Checkout Started', { userId: 'new_8' }),
      ],
      clock.now,
    );
    expect(await getPerson(db, 'legacy_8')).toBeNull();
    expect((await getTimeline(db, 'cus_8')).map((e) => [e.name ?? e.type, e.user_id])).toEqual([
      ['identify', 'legacy_8'],
      ['identify', 'cus_8'],
      ['Product Viewed', 'legacy_8'],
      ['alias', 'cus_8'],
      ['Added to Cart', 'legacy_8'],
    ]);
    expect((await getTimeline(db, 'new_8')).map((e) => e.name)).toEqual(['Checkout Started', 'Checkout Started']);
  });

  it('reads a batch of more anonymous ids than one query takes, in slices, and stitches the recent one', async () => {
    await ingest(db, [identify('cus_5', 'anon-777')], clock.now);
    clock.advance(MINUTE);
    const calls = Array.from({ length: 1_200 }, (_, i) => track('Product Viewed', { anonymousId: `anon-${i}` }));
    await ingest(db, calls, clock.now);
    expect((await getTimeline(db, 'cus_5')).map((e) => [e.anonymous_id, e.stitched])).toEqual([
      ['anon-777', false],
      ['anon-777', true],
    ]);
    expect((await eventsOf(db, 'anon-778'))[0]).toMatchObject({ person_id: null, stitched: 0 });
  });
});
