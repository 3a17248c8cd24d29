import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { IngestRefusal } from '@/lib/cdp/ingest/parse-request';
import { getPerson } from '@/lib/cdp/read/people';
import { getTimeline } from '@/lib/cdp/read/timeline';
import { listRejections } from '@/lib/cdp/read/rejections';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { addedToCart, call, cleanserCart, freshDb, identify, ingest, MINUTE, T0, testClock, track } from './support';

// Customer.io's semantic events about people (issue 10 §1), and traits an anonymous identify sets.
const HOUR = 60 * MINUTE;
let db: DB;
let clock: ReturnType<typeof testClock>;
beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
});

const userEvent = (event: string, userId: string) => track(event, { userId });
const count = async (table: 'cdp_events' | 'cdp_identities' | 'journey_runs' | 'outbox' | 'cdp_people') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A person with a stitched cart, a journey run and the cart email sent, plus an unrelated visitor. */
async function adaWithAnEmail() {
  const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
  await ingest(db, [addedToCart('a1'), track('Product Viewed', { anonymousId: 'other' })], clock.now);
  clock.advance(HOUR);
  await ingest(db, [identify('cus_ada', 'a1', { email: 'ada@example.com', cart: cleanserCart })], clock.now);
  await pass();
  clock.advance(HOUR);
  await pass();
  expect(await count('outbox')).toBe(1);
}

describe('User Deleted, User Suppressed, User Unsuppressed', () => {
  it('User Deleted removes the person: profile, events, identities, journey runs and messages', async () => {
    await adaWithAnEmail();
    expect(await count('journey_runs')).toBeGreaterThan(0);
    const result = await ingest(db, [userEvent('User Deleted', 'cus_ada')], clock.now);
    expect(result).toMatchObject({ stored: 0, rejected: 0 });
    expect(await getPerson(db, 'cus_ada')).toBeNull();
    expect(await count('cdp_identities')).toBe(0);
    expect(await count('journey_runs')).toBe(0);
    expect(await count('outbox')).toBe(0);
    // Only the other visitor's event is left; the deletion itself is not kept either.
    const left = await db.selectFrom('cdp_events').select(['anonymous_id', 'user_id']).execute();
    expect(left).toEqual([{ anonymous_id: 'other', user_id: null }]);

    // The id may come back, as a new, empty person.
    await ingest(db, [identify('cus_ada', undefined, { plan: 'new' })], clock.now);
    expect((await getPerson(db, 'cus_ada'))?.traits).toEqual({ plan: 'new' });
  });

  it('User Deleted removes the runs, messages and merges of everyone merged into the person, through aliases too', async () => {
    const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
    await ingest(db, [identify('cus_1', 'laptop', { plan: 'free' })], clock.now);
    clock.advance(HOUR);
    // A lead known by email fills a cart and is sent the cart email, under the lead's own id.
    await ingest(db, [addedToCart('phone')], clock.now);
    await ingest(db, [identify('lead@x.io', 'phone', { email: 'lead@x.io', cart: cleanserCart })], clock.now);
    await pass();
    clock.advance(HOUR);
    await pass();
    expect(await count('outbox')).toBe(1);
    // The customer (older, no email yet) gives the lead's address: the lead merges into them.
    await ingest(db, [identify('cus_1', 'laptop', { email: 'lead@x.io' })], clock.now);
    expect((await getPerson(db, 'cus_1'))?.merged_from).toEqual(['lead@x.io']);
    // …and the customer is aliased to a new id: the lead is merged into cus_2 through cus_1.
    await ingest(db, [call('alias', { previousId: 'cus_1', userId: 'cus_2' })], clock.now);

    await ingest(db, [userEvent('User Deleted', 'cus_2')], clock.now);
    expect(await count('cdp_people')).toBe(0);
    expect(await count('journey_runs')).toBe(0);
    expect(await count('outbox')).toBe(0);
    // No merge is left to say who was merged into whom (the lead's id is its email address).
    expect(await db.selectFrom('cdp_merges').selectAll().execute()).toEqual([]);
  });

  it("User Deleted removes the calls naming the person that a stranger's browser sent (kept anonymous)", async () => {
    await adaWithAnEmail();
    // The browser key naming cus_ada from a browser never linked to her: kept on that browser's anonymous profile.
    const forged = track('Order Completed', { userId: 'cus_ada', anonymousId: 'stranger', properties: { total: 1 } });
    await ingest(db, [forged], clock.now, { trusted: false });
    const named = () => db.selectFrom('cdp_events').select('anonymous_id').where('user_id', '=', 'cus_ada').execute();
    expect(await named()).toEqual([{ anonymous_id: 'a1' }, { anonymous_id: 'stranger' }]);

    await ingest(db, [userEvent('User Deleted', 'cus_ada')], clock.now);
    expect(await named()).toEqual([]);
  });

  it('a repeat of a person action (same messageId) is a duplicate: it neither deletes nor suppresses again', async () => {
    await ingest(db, [identify('cus_di', 'd1', { email: 'di@example.com' })], clock.now);
    const deletion = userEvent('User Deleted', 'cus_di');
    await ingest(db, [deletion], clock.now);
    clock.advance(HOUR);
    await ingest(db, [identify('cus_di', 'd2', { plan: 'back' })], clock.now);
    // A sender retrying its old call (or a replay) must not delete the person created since.
    expect(await ingest(db, [deletion], clock.now)).toMatchObject({ stored: 0, duplicates: 1, rejected: 0 });
    expect((await getPerson(db, 'cus_di'))?.traits).toEqual({ plan: 'back' });

    const suppression = userEvent('User Suppressed', 'cus_di');
    await ingest(db, [suppression, userEvent('User Unsuppressed', 'cus_di')], clock.now);
    expect(await ingest(db, [suppression], clock.now)).toMatchObject({ duplicates: 1 });
    expect(await ingest(db, [identify('cus_di', 'd2')], clock.now)).toMatchObject({ stored: 1, rejected: 0 });

    // A new deletion (its own messageId) still deletes.
    await ingest(db, [userEvent('User Deleted', 'cus_di')], clock.now);
    expect(await getPerson(db, 'cus_di')).toBeNull();
  });

  it('refuses person actions sent with the public browser key, recording why', async () => {
    await adaWithAnEmail();
    const attempt = userEvent('User Deleted', 'cus_ada');
    expect(await ingest(db, [attempt], clock.now, { trusted: false })).toMatchObject({ stored: 0, rejected: 1 });
    expect(await getPerson(db, 'cus_ada')).not.toBeNull();
    expect(await count('outbox')).toBe(1);
    const { rejections } = await listRejections(db);
    expect(rejections).toMatchObject([{ reason: 'untrusted', message_id: attempt.messageId }]);
    await expect(
      ingest(db, [userEvent('User Suppressed', 'cus_ada')], clock.now, { trusted: false, strict: true }),
    ).rejects.toBeInstanceOf(IngestRefusal);
  });

  it('refuses a suppressed userId later in the same request, and takes it again after User Unsuppressed there', async () => {
    await ingest(db, [track('Product Viewed', { userId: 'cus_cy' })], clock.now);
    const result = await ingest(
      db,
      [
        userEvent('User Suppressed', 'cus_cy'),
        track('Added to Cart', { userId: 'cus_cy' }),
        userEvent('User Unsuppressed', 'cus_cy'),
        track('Checkout Started', { userId: 'cus_cy' }),
      ],
      clock.now,
    );
    expect(result).toMatchObject({ stored: 1, rejected: 1 });
    expect((await listRejections(db)).rejections.map((r) => r.reason)).toEqual(['suppressed']);
    expect((await getTimeline(db, 'cus_cy')).map((e) => e.name)).toEqual(['Checkout Started']);
  });

  it('User Suppressed deletes the person and keeps the id out until User Unsuppressed', async () => {
    await ingest(db, [identify('cus_bo', 'b1', { email: 'bo@example.com' })], clock.now);
    await ingest(db, [userEvent('User Suppressed', 'cus_bo')], clock.now);
    expect(await getPerson(db, 'cus_bo')).toBeNull();

    const back = [identify('cus_bo', 'b1', { email: 'bo@example.com' }), userEvent('Order Completed', 'cus_bo')];
    expect(await ingest(db, back, clock.now)).toMatchObject({ stored: 0, rejected: 2 });
    expect(await getPerson(db, 'cus_bo')).toBeNull();
    expect((await listRejections(db, { reason: 'suppressed' })).total).toBe(2);

    await ingest(db, [userEvent('User Unsuppressed', 'cus_bo')], clock.now);
    expect(await ingest(db, [identify('cus_bo', 'b1', { email: 'bo@example.com' })], clock.now)).toMatchObject({
      stored: 1,
    });
    expect((await getPerson(db, 'cus_bo'))?.email).toBe('bo@example.com');
  });

  it('stores the semantic events this pipeline has no concept for as ordinary events (accepted no-ops)', async () => {
    const device = track('Device Created or Updated', {
      userId: 'cus_cy',
      context: { device: { token: 'tok', type: 'ios' } },
    });
    expect(await ingest(db, [device, userEvent('Device Deleted', 'cus_cy')], clock.now)).toMatchObject({ stored: 2 });
    const names = await db.selectFrom('cdp_events').select('name').where('person_id', '=', 'cus_cy').execute();
    expect(names.map((n) => n.name)).toEqual(['Device Created or Updated', 'Device Deleted']);
  });
});

describe('traits of an anonymous profile', () => {
  it('keeps traits an identify without userId sets, and carries them over at identify: later traits win', async () => {
    const anonymous = (traits: Record<string, unknown>) => call('identify', { anonymousId: 'v1', traits });
    await ingest(db, [anonymous({ skin_type: 'oily', newsletter: true })], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [anonymous({ skin_type: 'dry' })], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_di', 'v1', { email: 'di@example.com', newsletter: false })], clock.now);
    expect((await getPerson(db, 'cus_di'))?.traits).toEqual({
      skin_type: 'dry',
      newsletter: false,
      email: 'di@example.com',
    });

    // A later identify of the same browser does not replay the old anonymous traits over newer ones.
    await ingest(db, [identify('cus_di', undefined, { skin_type: 'combination' })], clock.now);
    await ingest(db, [identify('cus_di', 'v1')], clock.now);
    expect((await getPerson(db, 'cus_di'))?.traits).toMatchObject({ skin_type: 'combination' });
  });
});

describe('User Deleted and what was kept for Customer.io', () => {
  const queued = async () =>
    (await db.selectFrom('cdp_forward_queue').select('message_id').orderBy('id').execute()).map((r) => r.message_id);
  const refused = (call: Record<string, unknown>) => ({
    reason: 'invalid' as const,
    problems: [{ path: 'event', message: 'refused for the test' }],
    call,
    messageId: null,
  });

  it('drops the person’s rows queued before the deletion (sent or not) and the refused calls that carry them', async () => {
    const forward = { forward: true };
    await ingest(
      db,
      [
        { ...identify('cus_ada', 'a1', { email: 'ada@example.com' }), messageId: 'ada-identify' },
        track('Product Viewed', { anonymousId: 'a1', messageId: 'ada-view' }),
        track('Order Completed', { userId: 'cus_ada', messageId: 'ada-order' }),
        track('Order Completed', { userId: 'cus_bo', messageId: 'bo-order' }),
        // An earlier person action is an instruction, not the person's data: it still goes to Customer.io.
        { ...userEvent('User Unsuppressed', 'cus_ada'), messageId: 'ada-unsuppress' },
      ],
      T0,
      {
        ...forward,
        rejected: [
          refused({ type: 'track', anonymousId: 'a1', properties: { note: 'x' } }),
          refused({ type: 'identify', userId: 'cus_other', traits: { email: 'ADA@Example.com' } }),
          refused({ type: 'track', userId: 'cus_bo' }),
          refused({ type: 'track', userId: 'CUS_ADA' }), // another id (ids are case-sensitive)
          refused({ type: 'track', userId: 'cus_ada_2' }),
        ],
      },
    );
    // Delivered, and dead-lettered (Replay would send it after the deletion): both go with the person.
    await db.updateTable('cdp_forward_queue').set({ status: 'sent' }).where('message_id', '=', 'ada-order').execute();
    await db.updateTable('cdp_forward_queue').set({ status: 'dead' }).where('message_id', '=', 'ada-view').execute();

    await ingest(
      db,
      [
        { ...userEvent('User Deleted', 'cus_ada'), messageId: 'ada-delete' },
        track('Product Viewed', { userId: 'cus_ada', messageId: 'ada-again' }),
      ],
      T0,
      forward,
    );
    expect(await queued()).toEqual(['bo-order', 'ada-unsuppress', 'ada-delete', 'ada-again']);
    const { rejections } = await listRejections(db);
    expect(rejections.map((r) => JSON.parse(r.call).userId).sort()).toEqual(['CUS_ADA', 'cus_ada_2', 'cus_bo']);
  });

  it('finds the refused calls carrying an internationalised email however it was spelled', async () => {
    await ingest(db, [identify('cus_jo', 'j1', { email: 'josé@exemple.fr' })], T0, {
      rejected: [
        refused({ type: 'identify', userId: 'cus_x', traits: { email: 'JOSÉ@EXEMPLE.FR' } }),
        refused({ type: 'identify', userId: 'cus_y', traits: { email: 'JOSE\u0301@Exemple.fr' } }),
        refused({ type: 'identify', userId: 'cus_z', traits: { email: 'josef@exemple.fr' } }),
      ],
    });
    await ingest(db, [userEvent('User Deleted', 'cus_jo')], T0);
    const { rejections } = await listRejections(db);
    expect(rejections.map((r) => JSON.parse(r.call).userId)).toEqual(['cus_z']);
  });

  it('finds the refused calls carrying an internationalised domain in its ASCII spelling (xn--) too', async () => {
    await ingest(db, [identify('cus_bu', 'b1', { email: 'user@bücher.de' })], T0, {
      rejected: [
        refused({ type: 'identify', userId: 'cus_p', traits: { email: 'USER@XN--BCHER-KVA.DE' } }),
        refused({ type: 'identify', userId: 'cus_q', traits: { email: 'user@xn--bcher-kva.com' } }),
      ],
    });
    await ingest(db, [userEvent('User Deleted', 'cus_bu')], T0);
    const { rejections } = await listRejections(db);
    expect(rejections.map((r) => JSON.parse(r.call).userId)).toContain('cus_q');
    expect(rejections.map((r) => JSON.parse(r.call).userId)).not.toContain('cus_p');
  });

  it('with local storage off, drops the person’s queued calls and their devices’, only for the server key', async () => {
    const proxy = { forward: true, local: false };
    await ingest(
      db,
      [
        { ...identify('cus_cy', 'c1', { email: 'cy@example.com' }), messageId: 'cy-identify' },
        track('Product Viewed', { anonymousId: 'c1', messageId: 'cy-view' }),
        track('Order Completed', { userId: 'cus_cy', messageId: 'cy-order' }),
        track('Product Viewed', { anonymousId: 'x1', messageId: 'other-view' }),
      ],
      T0,
      proxy,
    );
    // The browser key's User Deleted is refused before forwarding too: Customer.io would carry it out.
    await ingest(db, [{ ...userEvent('User Deleted', 'cus_cy'), messageId: 'cy-delete-1' }], T0, {
      ...proxy,
      trusted: false,
    });
    expect(await queued()).toEqual(['cy-identify', 'cy-view', 'cy-order', 'other-view']);

    await ingest(db, [{ ...userEvent('User Deleted', 'cus_cy'), messageId: 'cy-delete-2' }], T0, proxy);
    expect(await queued()).toEqual(['other-view', 'cy-delete-2']);
  });
});
