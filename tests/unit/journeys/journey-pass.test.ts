import { beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '@/lib/db';
import { recentRuns } from '@/lib/cdp/read/journey-report';
import { listOutbox } from '@/lib/cdp/read/outbox';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { unmigratedDatabase } from '../support/database';
import { call, CLEANSER, freshDb, identify, ingest, MINUTE, T0, testClock, track } from '../cdp/support';

// The DB-backed runner: real ingest, identity stitching and merges, then passes of the journey runner.
const HOUR = 60 * MINUTE;
const BALM = {
  sku: 'GL-CLN-OAT-150',
  variant_id: 'var_oat_milk_cleanser_150',
  product_id: 'prod_oat',
  name: 'Oat Milk Cream Cleanser',
  price: 20,
};
type Line = typeof CLEANSER & { quantity: number };

function cart(lines: Line[]) {
  const items = lines.map((l) => ({
    ...l,
    image_url: `http://shop.test/products/${l.product_id}.svg`,
    product_url: `http://shop.test/p/${l.product_id}`,
  }));
  const value = lines.reduce((s, l) => s + l.price * l.quantity, 0);
  return {
    items,
    cart_value: value,
    item_count: lines.reduce((n, l) => n + l.quantity, 0),
    currency: 'USD',
    schema_version: 1,
  };
}
/** The `cart` person attribute the shop's server sends on identify: the cart block and its restore link. */
function cartTrait(lines: Line[]) {
  const block: Partial<ReturnType<typeof cart>> = cart(lines);
  delete block.schema_version;
  return { ...block, restore_url: `http://shop.test/cart/restore/${lines.map((l) => l.sku).join('_')}.sig` };
}
const both = [
  { ...CLEANSER, quantity: 1 },
  { ...BALM, quantity: 2 },
];
const added = (anonymousId: string, lines: Line[], userId?: string) =>
  track('Added to Cart', {
    anonymousId,
    userId,
    properties: {
      added: { sku: lines.at(-1)!.sku, variant_id: lines.at(-1)!.variant_id, quantity: 1 },
      ...cart(lines),
    },
  });

let db: DB;
let clock: ReturnType<typeof testClock>;
const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
const holdPass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'hold', appUrl: 'http://shop.test' });
const runs = () => db.selectFrom('journey_runs').selectAll().orderBy('journey_id').execute();
const outbox = () => db.selectFrom('outbox').selectAll().execute();
const byJourney = async () => Object.fromEntries((await runs()).map((r) => [r.journey_id, r]));

beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
});

describe('an anonymous cart, identified 3 h later', () => {
  beforeEach(async () => {
    await ingest(db, [added('anon-1', [{ ...CLEANSER, quantity: 1 }])], clock.now);
    await pass();
  });

  it('enters the anonymous profile at the add: event-triggered fails for want of an email, hold holds', async () => {
    const r = await byJourney();
    expect(Object.keys(r)).toEqual(['cart-recovery-event', 'cart-recovery-hold']);
    expect(r['cart-recovery-event']).toMatchObject({
      person_id: 'anon-1',
      status: 'failed',
      reason: 'no_email',
      entered_at: T0.toISOString(),
      shadow: 1,
    });
    expect(r['cart-recovery-hold']).toMatchObject({ person_id: 'anon-1', status: 'held', shadow: 1 });
  });

  it('moves the runs to the person on identify; the live lookback sends once, the shadow hold would have sent', async () => {
    await ingest(db, [added('anon-1', both)], clock.now);
    clock.advance(3 * HOUR);
    const traits = { email: 'ada@example.com', first_name: 'Ada', cart: cartTrait(both) };
    await ingest(db, [identify('cus_ada', 'anon-1', traits)], clock.now);
    await pass();
    clock.advance(HOUR);
    await pass();

    const r = await byJourney();
    expect(Object.values(r).map((x) => x.person_id)).toEqual(['cus_ada', 'cus_ada', 'cus_ada']);
    expect(r['cart-recovery-event']).toMatchObject({ status: 'failed', reason: 'no_email' });
    expect(r['cart-recovery-hold']).toMatchObject({ status: 'sent', shadow: 1 });
    expect(r['cart-recovery-lookback']).toMatchObject({ status: 'sent', shadow: 0 });

    // One message per cart: two adds, one email, listing the cart's latest contents, with a restore link.
    const messages = await outbox();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      journey_id: 'cart-recovery-lookback',
      person_id: 'cus_ada',
      to_email: 'ada@example.com',
    });
    expect(messages[0]!.html).toContain('Gentle Gel Cleanser');
    expect(messages[0]!.html).toContain('Oat Milk Cream Cleanser');
    expect(messages[0]!.html).toContain('Hi Ada,');
    expect(messages[0]!.text).toContain('$58.00');
    expect(messages[0]!.restore_url).toBe(cartTrait(both).restore_url);
    expect(messages[0]!.html).toContain(`href="${cartTrait(both).restore_url}"`);
    expect(messages[0]!.html).toMatch(/href="http:\/\/shop\.test\/unsubscribe\/[\w-]+\.[\w-]+"/);
  });

  it('is idempotent: a second pass at the same time changes nothing and sends nothing', async () => {
    clock.advance(3 * HOUR);
    await ingest(db, [identify('cus_ada', 'anon-1', { email: 'ada@example.com', cart: cartTrait(both) })], clock.now);
    await pass();
    clock.advance(HOUR);
    expect(await pass()).toMatchObject({ processed: 2, sent: 1 });
    const before = { runs: await runs(), outbox: await outbox() };
    expect(await pass()).toMatchObject({ processed: 0, sent: 0 });
    expect({ runs: await runs(), outbox: await outbox() }).toEqual(before);
  });

  it('exits on an order placed during the wait: no email', async () => {
    clock.advance(3 * HOUR);
    await ingest(db, [identify('cus_ada', 'anon-1', { email: 'ada@example.com', cart: cartTrait(both) })], clock.now);
    await pass();
    clock.advance(30 * MINUTE);
    await ingest(
      db,
      [track('Order Completed', { userId: 'cus_ada', properties: { order_id: 'ord_1', total: 18, currency: 'USD' } })],
      clock.now,
    );
    clock.advance(HOUR);
    await pass();
    const r = await byJourney();
    expect(r['cart-recovery-lookback']).toMatchObject({ status: 'exited', reason: 'converted' });
    expect(r['cart-recovery-hold']).toMatchObject({ status: 'exited', reason: 'converted' });
    expect(await outbox()).toEqual([]);
  });
});

it('shadow runs never land in the outbox, whichever strategy is live', async () => {
  await ingest(db, [identify('cus_bo', 'anon-2', { email: 'bo@example.com' })], clock.now);
  clock.advance(MINUTE);
  // A signed-in add: the mirror, and the server's identify setting the `cart` attribute.
  const lines = [{ ...CLEANSER, quantity: 1 }];
  await ingest(
    db,
    [added('anon-2', lines, 'cus_bo'), identify('cus_bo', undefined, { cart: cartTrait(lines) })],
    clock.now,
  );
  await holdPass();
  clock.advance(2 * HOUR);
  await holdPass();
  const r = await byJourney();
  // A known shopper adding to the cart: every strategy would send (the identify that sets the cart starts the
  // lookback, as the person enters Customer.io's cart segment at the add); only the live one (hold) has a message.
  expect(Object.values(r).map((x) => [x.journey_id, x.status, x.shadow])).toEqual([
    ['cart-recovery-event', 'sent', 1],
    ['cart-recovery-hold', 'sent', 0],
    ['cart-recovery-lookback', 'sent', 1],
  ]);
  expect((await outbox()).map((m) => m.journey_id)).toEqual(['cart-recovery-hold']);
});

// Customer.io: "A backdated event WILL NOT trigger event-triggered campaigns if the event's timestamp is older than
// 3 days (72 hours)" (docs.customer.io/journeys/importing-old-data). A backfill, or a call retried for days, sent
// with the server key straight onto a known customer.
describe('a backfilled Added to Cart (sent now, timestamped in the past) for a known customer', () => {
  const lines = [{ ...CLEANSER, quantity: 1 }];
  const backfill = async (age: number) => {
    await ingest(db, [identify('cus_dee', undefined, { email: 'dee@example.com', cart: cartTrait(lines) })], clock.now);
    clock.advance(MINUTE);
    const timestamp = new Date(clock.now.getTime() - age).toISOString();
    await ingest(db, [{ ...added('anon-dee', lines, 'cus_dee'), timestamp }], clock.now);
    await holdPass();
    clock.advance(2 * HOUR);
    await holdPass();
  };

  it('older than 72 h when received: starts no event-triggered journey and sends nothing', async () => {
    await backfill(72 * HOUR + 1);
    expect((await runs()).filter((r) => r.journey_id !== 'cart-recovery-lookback')).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it('exactly 72 h old when received: the live hold sends, as Customer.io would', async () => {
    await backfill(72 * HOUR);
    expect((await outbox()).map((m) => [m.journey_id, m.to_email])).toEqual([
      ['cart-recovery-hold', 'dee@example.com'],
    ]);
  });
});

// A Customer.io campaign triggers on, and waits for, the exact event name: `add_to_cart` and `purchase` are other
// events there (customer.io/docs/events). The data-quality report flags them as drift; journeys take them as sent.
it('drifted event names neither start nor end a cart journey, as on Customer.io', async () => {
  const lines = [{ ...CLEANSER, quantity: 1 }];
  const known = (id: string) => identify(id, undefined, { email: `${id}@example.com`, cart: cartTrait(lines) });
  await ingest(db, [known('cus_drift'), known('cus_buyer')], clock.now);
  clock.advance(MINUTE);
  const drifted = { ...added('anon-drift', lines, 'cus_drift'), event: 'add_to_cart' };
  await ingest(db, [drifted, added('anon-buyer', lines, 'cus_buyer')], clock.now);
  clock.advance(10 * MINUTE);
  const order = { order_id: 'ord_9', total: 18, currency: 'USD', schema_version: 1 };
  await ingest(db, [track('purchase', { userId: 'cus_buyer', properties: order })], clock.now);
  const eventPass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'event', appUrl: 'http://shop.test' });
  await eventPass();
  clock.advance(2 * HOUR);
  await eventPass();

  expect((await runs()).some((r) => r.person_id === 'cus_drift')).toBe(false);
  // Customer.io would mail the buyer too: `purchase` is not the Order Completed its Wait Until waits for.
  expect((await outbox()).map((m) => [m.journey_id, m.to_email])).toEqual([
    ['cart-recovery-event', 'cus_buyer@example.com'],
  ]);
  const quality = await db.selectFrom('cdp_events').select(['name', 'canonical_name']).where('type', '=', 'track');
  expect(await quality.where('name', '=', 'purchase').executeTakeFirst()).toEqual({
    name: 'purchase',
    canonical_name: 'Order Completed',
  });
});

// Customer.io addresses a message to the person's current `email` attribute and its Liquid `default` reads nil as
// unset: what the shop's server clears (null or "") is gone for a journey too, as it is from the stored person.
describe.each([null, ''])('attributes the shop server cleared with %j', (cleared) => {
  const lines = [{ ...CLEANSER, quantity: 1 }];
  const cartThenPasses = async () => {
    await ingest(db, [added('anon-eve', lines, 'cus_eve')], clock.now);
    const eventPass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'event', appUrl: 'http://shop.test' });
    await eventPass();
    clock.advance(2 * HOUR);
    await eventPass();
  };
  const known = { email: 'eve@example.com', first_name: 'Eve', cart: cartTrait(lines) };

  it('email: no journey mails the address it had before', async () => {
    await ingest(db, [identify('cus_eve', undefined, known)], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_eve', undefined, { email: cleared })], clock.now);
    clock.advance(MINUTE);
    await cartThenPasses();
    expect(await outbox()).toEqual([]);
    expect((await byJourney())['cart-recovery-event']).toMatchObject({ status: 'failed', reason: 'no_email' });
    const person = await db.selectFrom('cdp_people').select(['email', 'email_trusted']).executeTakeFirstOrThrow();
    expect(person).toEqual({ email: null, email_trusted: null });
  });

  it('first_name: the email still goes out, greeting by the default', async () => {
    await ingest(db, [identify('cus_eve', undefined, { ...known, first_name: cleared })], clock.now);
    clock.advance(MINUTE);
    await cartThenPasses();
    const [message] = await outbox();
    expect(message).toMatchObject({ journey_id: 'cart-recovery-event', to_email: 'eve@example.com' });
    expect(message!.text).toMatch(/^Hi there,/);
  });
});

it('runs move with a merge: a person aliased to a new id joins it', async () => {
  await ingest(
    db,
    [identify('cus_old', undefined, { email: 'cy@example.com' }), added('anon-3', [{ ...CLEANSER, quantity: 1 }])],
    clock.now,
  );
  await ingest(db, [identify('cus_old', 'anon-3', { email: 'cy@example.com' })], clock.now);
  await pass();
  expect((await runs()).every((r) => r.person_id === 'cus_old')).toBe(true);
  clock.advance(10 * MINUTE);
  const lines = [{ ...CLEANSER, quantity: 1 }];
  // Two customers are merged only explicitly (alias); an identify sharing an email merges nobody (rule 6).
  await ingest(
    db,
    [
      identify('cus_new', 'anon-4', { cart: cartTrait(lines) }),
      call('alias', { previousId: 'cus_old', userId: 'cus_new' }),
    ],
    clock.now,
  );
  await pass();
  expect((await runs()).map((r) => r.person_id)).toEqual(expect.arrayContaining(['cus_new']));
  expect((await runs()).some((r) => r.person_id === 'cus_old')).toBe(false);
  clock.advance(HOUR);
  await pass();
  expect((await outbox()).map((m) => [m.person_id, m.to_email])).toEqual([['cus_new', 'cy@example.com']]);
});

it('a merge brings both histories’ runs and messages to the survivor at once; its console reads find them all', async () => {
  const lines = [{ ...CLEANSER, quantity: 1 }];
  // Two browsers, each with an anonymous cart, each identified as its own customer and sent a recovery email.
  await ingest(db, [added('anon-m1', lines), added('anon-m2', lines)], clock.now);
  clock.advance(3 * HOUR);
  await ingest(
    db,
    [
      identify('cus_m1', 'anon-m1', { email: 'm1@example.com', cart: cartTrait(lines) }),
      identify('cus_m2', 'anon-m2', { email: 'm2@example.com', cart: cartTrait(lines) }),
    ],
    clock.now,
  );
  await pass();
  clock.advance(HOUR);
  await pass();
  const before = await runs();
  expect((await outbox()).map((m) => m.person_id).sort()).toEqual(['cus_m1', 'cus_m2']);

  // cus_m1 becomes cus_m2 (alias): a merge, and no journey pass after it.
  clock.advance(MINUTE);
  await ingest(db, [call('alias', { previousId: 'cus_m1', userId: 'cus_m2' })], clock.now);
  expect(new Set((await runs()).map((r) => r.person_id))).toEqual(new Set(['cus_m2']));
  expect((await outbox()).map((m) => m.person_id)).toEqual(['cus_m2', 'cus_m2']);
  const seen = async () => ({
    runs: (await recentRuns(db, { profileId: 'cus_m2' })).items.map((r) => r.id).sort(),
    to: (await listOutbox(db, { person: 'cus_m2' })).items.map((m) => m.to).sort(),
  });
  const all = { runs: before.map((r) => r.id).sort(), to: ['m1@example.com', 'm2@example.com'] };
  expect(await seen()).toEqual(all);

  // Rows a merge made before merges moved them left on the merged id, and runs of an anonymous id identified since
  // the last pass: the reads find them too (the next pass moves them: rekeyRuns).
  await db.updateTable('outbox').set({ person_id: 'cus_m1' }).where('to_email', '=', 'm1@example.com').execute();
  const [first, second] = before;
  await db.updateTable('journey_runs').set({ person_id: 'cus_m1' }).where('id', '=', first!.id).execute();
  await db.updateTable('journey_runs').set({ person_id: 'anon-m2' }).where('id', '=', second!.id).execute();
  expect(await seen()).toEqual(all);
  // And no one else's: an unrelated profile sees nothing.
  expect((await listOutbox(db, { person: 'cus_other' })).items).toEqual([]);
  expect((await recentRuns(db, { profileId: 'anon-other' })).items).toEqual([]);
});

it('a first pass after the real migrations sends nothing for carts stored before journeys were installed', async () => {
  // A shop at 0002 (the pipeline, no journeys yet) with an identified cart, migrated forward as the app would.
  const { db: old, migrator } = await unmigratedDatabase();
  db = old;
  expect((await migrator.migrateTo('0002-cdp')).error).toBeUndefined();
  // Stored as the pipeline of 0002 stored them (today's ingest writes columns that schema lacks): Dee, her
  // identify and her cart, stitched.
  const at = clock.now.toISOString();
  const v1 = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  await v1
    .insertInto('cdp_people')
    .values({
      id: 'cus_dee',
      email: 'dee@example.com',
      traits: '{"email":"dee@example.com"}',
      first_seen_at: at,
      last_seen_at: at,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await v1
    .insertInto('cdp_identities')
    .values({ anonymous_id: 'anon-5', person_id: 'cus_dee', linked_at: at })
    .execute();
  const oldAdd = added('anon-5', [{ ...CLEANSER, quantity: 1 }]);
  await v1
    .insertInto('cdp_events')
    .values(
      [
        { message_id: 'old-identify', type: 'identify', user_id: 'cus_dee', traits: { email: 'dee@example.com' } },
        { message_id: 'old-add', type: 'track', name: 'Added to Cart', stitched: 1, properties: oldAdd.properties },
      ].map((e) => ({
        name: null,
        user_id: null,
        stitched: 0,
        ...e,
        canonical_name: e.name ?? null,
        anonymous_id: 'anon-5',
        person_id: 'cus_dee',
        timestamp: at,
        received_at: at,
        attached_at: e.stitched ? at : null,
        seen_by_client: e.type === 'track' ? 1 : 0,
        seen_by_server: e.type === 'identify' ? 1 : 0,
        properties: JSON.stringify(e.properties ?? {}),
        traits: JSON.stringify(e.traits ?? {}),
      })),
    )
    .execute();
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  // Dee comes back (her profile changes, so the pass looks at it) but adds nothing: her old cart stays old.
  clock.advance(10 * MINUTE);
  await ingest(db, [identify('cus_dee', 'anon-5', { email: 'dee@example.com' })], clock.now);
  await pass();
  clock.advance(2 * HOUR);
  await pass();
  expect(await runs()).toEqual([]);
  expect(await outbox()).toEqual([]);

  // Control: a cart stored after the migration does start journeys and mails, so the silence was the horizon.
  await ingest(
    db,
    [
      identify('cus_eve', 'anon-6', { email: 'eve@example.com', cart: cartAttribute(CLEANSER) }),
      added('anon-6', [{ ...CLEANSER, quantity: 1 }]),
    ],
    clock.now,
  );
  await pass();
  clock.advance(2 * HOUR);
  await pass();
  expect((await runs()).length).toBeGreaterThan(0);
  expect((await outbox()).map((m) => m.to_email)).toEqual(['eve@example.com']);
});

// The `cart` person attribute as the shop's server sets it (lib/shop/server/tracking.ts), for one line.
const cartAttribute = (line: Omit<Line, 'quantity'>) => ({
  ...cart([{ ...line, quantity: 1 }]),
  restore_url: 'http://shop.test/cart/restore/t',
});

describe('a poison cart event fails only its own run', () => {
  // Good shoppers: the shop's server sets their `cart` attribute, which the email reads. The poisoned one's only
  // cart is the poisoned event.
  const known = (id: string, withCart = true) =>
    identify(id, `anon-${id}`, { email: `${id}@example.com`, ...(withCart ? { cart: cartAttribute(CLEANSER) } : {}) });
  const poisoned = (id: string, item: Partial<Line>) =>
    added(`anon-${id}`, [{ ...CLEANSER, quantity: 1, ...item }], id);
  // Known shoppers adding to the cart: the live hold strategy sends (lookback waits for an identify).

  it.each([
    ['a quantity of 1000', { quantity: 1000 }],
    ['a quantity of 1.5', { quantity: 1.5 }],
    ['a SKU over 64 characters', { sku: `GL-${'X'.repeat(70)}` }],
  ])('%s: its run fails alone; the pass, the cursor and others go on', async (_, item) => {
    await ingest(db, [known('cus_bad', false), known('cus_good')], clock.now);
    clock.advance(MINUTE);
    await ingest(
      db,
      [poisoned('cus_bad', item), added('anon-cus_good', [{ ...CLEANSER, quantity: 1 }], 'cus_good')],
      clock.now,
    );
    await holdPass();
    clock.advance(2 * HOUR);
    const first = await holdPass();
    const top = await db
      .selectFrom('cdp_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    expect(first.cursor).toBe(Number(top.seq));

    const bad = await db
      .selectFrom('journey_runs')
      .selectAll()
      .where('person_id', '=', 'cus_bad')
      .where('journey_id', '=', 'cart-recovery-hold')
      .executeTakeFirstOrThrow();
    // Messages read the server-set `cart` attribute, never a browser-sized event: nothing to send from.
    expect(bad).toMatchObject({ status: 'failed', reason: 'missing_data', shadow: 0 });
    expect((await outbox()).map((m) => m.person_id)).toEqual(['cus_good']);

    // Later passes go on: someone who adds to the cart afterwards is messaged as usual.
    await ingest(db, [known('cus_late')], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [added('anon-cus_late', [{ ...CLEANSER, quantity: 2 }], 'cus_late')], clock.now);
    await holdPass();
    clock.advance(2 * HOUR);
    expect((await holdPass()).cursor).toBeGreaterThan(first.cursor);
    expect((await outbox()).map((m) => m.person_id).sort()).toEqual(['cus_good', 'cus_late']);
  });
});

it('events inherited through a person merge never start a run; the person’s own later add does', async () => {
  await ingest(db, [identify('cus_b', 'anon-b', { email: 'b@example.com' })], clock.now);
  clock.advance(MINUTE);
  await ingest(db, [added('anon-b', [{ ...CLEANSER, quantity: 1 }], 'cus_b')], clock.now);
  clock.advance(MINUTE);
  // B (with its cart) merges into A before any pass has seen it.
  await ingest(
    db,
    [
      identify('cus_a', 'anon-a', { email: 'a@example.com', cart: cartAttribute(CLEANSER) }),
      call('alias', { previousId: 'cus_b', userId: 'cus_a' }),
    ],
    clock.now,
  );
  expect(await db.selectFrom('cdp_people').select('id').execute()).toEqual([{ id: 'cus_a' }]);
  // The merge marks what it moved: B's identify and add; A's own identify stays unmarked.
  const marks = await db.selectFrom('cdp_events').select(['type', 'user_id', 'merged_from']).orderBy('seq').execute();
  expect(marks.filter((e) => e.type !== 'alias')).toEqual([
    { type: 'identify', user_id: 'cus_b', merged_from: 'cus_b' },
    { type: 'track', user_id: 'cus_b', merged_from: 'cus_b' },
    { type: 'identify', user_id: 'cus_a', merged_from: null },
  ]);
  await holdPass();
  clock.advance(2 * HOUR);
  await holdPass();
  expect(await runs()).toEqual([]);
  expect(await outbox()).toEqual([]);

  await ingest(db, [added('anon-a', [{ ...CLEANSER, quantity: 2 }], 'cus_a')], clock.now);
  const [own] = await db.selectFrom('cdp_events').select('seq').orderBy('seq', 'desc').limit(1).execute();
  await holdPass();
  clock.advance(2 * HOUR);
  await holdPass();
  expect((await runs()).map((r) => [r.journey_id, r.person_id, r.trigger_seq, r.status])).toEqual([
    ['cart-recovery-event', 'cus_a', own!.seq, 'sent'],
    ['cart-recovery-hold', 'cus_a', own!.seq, 'sent'],
  ]);
  expect((await outbox()).map((m) => m.to_email)).toEqual(['a@example.com']);
});

/** A minute on, Ada is identified on a shared device (anon-9) and, a minute later, adds to the cart there; a hold pass. */
async function adaAddsOnSharedDevice() {
  clock.advance(MINUTE);
  const ada = { email: 'ada@example.com', first_name: 'Ada', cart: cartTrait(both) };
  await ingest(db, [identify('cus_ada', 'anon-9', ada)], clock.now);
  clock.advance(MINUTE);
  await ingest(db, [added('anon-9', both)], clock.now);
  await holdPass();
}

it('a waiting run whose trigger moved to another person (its anonymous id identified as them) ends, unsent', async () => {
  // Bo has a cart of his own (his phone). Ada is identified on a shared device and adds to the cart (stitched to
  // her); then Bo is identified on that device: the id and the add move to Bo (identity rule 5), into the cart he
  // already has a run for, so no run of his takes that trigger over. Ada's run must not mail her that cart.
  const bo = { email: 'bo@example.com', cart: cartTrait(both) };
  await ingest(db, [identify('cus_bo', 'anon-bo', bo), added('anon-bo', both.slice(0, 1), 'cus_bo')], clock.now);
  await adaAddsOnSharedDevice();
  const trigger = await db
    .selectFrom('cdp_events')
    .select('seq')
    .where('name', '=', 'Added to Cart')
    .where('anonymous_id', '=', 'anon-9')
    .executeTakeFirst();
  const runId = `cart-recovery-hold:${trigger!.seq}:cus_ada`;
  expect(await db.selectFrom('journey_runs').selectAll().where('id', '=', runId).executeTakeFirst()).toMatchObject({
    person_id: 'cus_ada',
    status: 'waiting',
    shadow: 0,
  });

  clock.advance(10 * MINUTE);
  await ingest(db, [identify('cus_bo', 'anon-9', bo)], clock.now);
  expect(await db.selectFrom('cdp_events').select('person_id').where('seq', '=', trigger!.seq).execute()).toEqual([
    { person_id: 'cus_bo' },
  ]);
  clock.advance(2 * HOUR);
  await holdPass();
  expect((await outbox()).filter((m) => m.to_email === 'ada@example.com')).toEqual([]);
  const adas = await db.selectFrom('journey_runs').selectAll().where('person_id', '=', 'cus_ada').execute();
  expect(adas.filter((r) => r.status === 'sent' || r.status === 'waiting')).toEqual([]);
  expect(adas.find((r) => r.id === runId)).toMatchObject({
    status: 'exited',
    reason: 'trigger_moved',
    detail: expect.stringContaining(`#${trigger!.seq}`),
  });
});

it("a trigger that moves to a person with no cart of his own starts his run; the first owner's ends, unsent", async () => {
  // Bo is known (an email, no cart). Ada is identified on a shared device and adds to the cart; then Bo is
  // identified on that device: the id and the add move to Bo. Runs were keyed by journey and trigger alone, so Bo's
  // new run took over Ada's row, found "its" trigger moved (to Bo) and ended: Bo never got the cart's email.
  await ingest(db, [identify('cus_bo', 'anon-bo', { email: 'bo@example.com' })], clock.now);
  await adaAddsOnSharedDevice();
  clock.advance(10 * MINUTE);
  await ingest(db, [identify('cus_bo', 'anon-9', { email: 'bo@example.com', cart: cartTrait(both) })], clock.now);
  clock.advance(2 * HOUR);
  await holdPass();
  await holdPass();

  const live = (await runs()).filter((r) => r.journey_id === 'cart-recovery-hold');
  expect(live.map((r) => [r.person_id, r.status, r.reason])).toEqual(
    expect.arrayContaining([
      ['cus_ada', 'exited', 'trigger_moved'],
      ['cus_bo', 'sent', null],
    ]),
  );
  expect(live).toHaveLength(2);
  expect((await outbox()).map((m) => [m.person_id, m.to_email])).toEqual([['cus_bo', 'bo@example.com']]);
});

it('recentRuns says whether each run is a person’s or an anonymous id’s, whatever the id scheme', async () => {
  const lines = [{ ...CLEANSER, quantity: 1 }];
  // A person whose id is not the shop's cus_… (Customer.io-shaped data from elsewhere) and an id never identified.
  await ingest(db, [added('anon-p1', lines), added('anon-p2', lines)], clock.now);
  await ingest(db, [identify('42', 'anon-p1', { email: 'p1@example.com', cart: cartTrait(lines) })], clock.now);
  await pass();
  const { items } = await recentRuns(db);
  const profiles = new Set(items.map((r) => `${r.person_id}:${r.profile}`));
  expect(profiles).toEqual(new Set(['42:person', 'anon-p2:anonymous']));
});
