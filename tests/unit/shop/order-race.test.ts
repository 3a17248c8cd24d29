import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { allocateOrderNumber } from '@/lib/shop/server/order-numbers';
import { findOrCreateCustomerByEmail } from '@/lib/shop/server/customers';
import { quoteOrder } from '@/lib/shop/domain/pricing';
import { WELCOME_CODE } from '@/lib/shop/domain/welcome-code';
import { placeOrder } from '@/lib/shop/server/orders';
import { sharedDatabase } from '../support/database';
import { checkout } from './checkout-input';

// PostgreSQL only (vitest project `postgres`): two requests for one checkout attempt, truly in flight at once on
// two connections, both past the "already placed?" read before either commits. SQLite runs one writer at a time,
// so there the second request simply finds the first order (orders.test.ts covers that on both databases).

beforeAll(() => {
  process.env.APP_SECRET = 'unit-test-secret-0123456789';
  resetEnvCache();
});

const lines = [{ sku: 'GL-CLN-GEL-150', quantity: 1 }];

it.each([
  ['the same cart', lines, ['placed', 'replayed']],
  // The shopper changed the cart (another tab) and pressed again: the loser is not confirmed at its own total.
  ['a changed cart', [{ sku: 'GL-CLN-GEL-150', quantity: 2 }], ['already_placed', 'placed']],
])(
  'answers the copy (%s) that loses the unique idempotency key with the order that won, and gives its number back',
  async (_case, secondLines, statuses) => {
    const [db, blocker] = await sharedDatabase();
    const customer = await findOrCreateCustomerByEmail(db, 'race@example.test');
    const input = checkout('race@example.test', lines);
    const second = checkout('race@example.test', secondLines, { idempotencyKey: input.idempotencyKey });

    // Another order holds the counter row, so both copies read "not placed yet" and then queue for a number.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let xid = '';
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const other = blocker.transaction().execute(async (trx) => {
      await trx
        .updateTable('order_number_counter')
        .set((eb) => ({ last_number: eb('last_number', '+', 0) }))
        .where('id', '=', 1)
        .execute();
      xid = (await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(trx)).rows[0]!.xid;
      holding();
      await released;
    });
    await held;
    const copies = [placeOrder(db, input, customer.id), placeOrder(db, second, customer.id)];
    // Both copies wait for the counter: the first on the holder's transaction, the second on the row behind it.
    const waiting = async () =>
      Number(
        (
          await sql<{ n: string }>`select count(*) as n from pg_locks where not granted and (
          (locktype = 'transactionid' and transactionid::text = ${xid})
          or (locktype = 'tuple' and relation = 'order_number_counter'::regclass))`.execute(blocker)
        ).rows[0]!.n,
      );
    while ((await waiting()) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await other;

    const results = await Promise.all(copies);
    expect(results.map((r) => r.status).toSorted()).toEqual(statuses);
    const [a, b] = results.map((r) => ('orderId' in r ? r.orderId : undefined));
    expect(a).toBe(b);
    expect(await db.selectFrom('orders').select('order_number').execute()).toEqual([{ order_number: 10001 }]);
    // The losing copy's number was rolled back with it.
    expect(await allocateOrderNumber(db)).toBe(10002);
  },
);

it('lets only one of two first orders at once use the welcome code (a signed-in customer, two tabs)', async () => {
  const [db, blocker] = await sharedDatabase();
  const customer = await findOrCreateCustomerByEmail(db, 'twice@example.test');
  const coded = () => {
    const q = quoteOrder(lines, 'US', WELCOME_CODE);
    const input = checkout('twice@example.test', lines);
    return { ...input, discountCode: WELCOME_CODE, quote: { ...input.quote, totalCents: q.totalCents } };
  };
  // Another order holds the counter row: without the customer's lock both copies would pass the "ordered before?"
  // read and queue for a number; with it the second waits for the first's commit and then sees its order.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const other = blocker.transaction().execute(async (trx) => {
    await trx.updateTable('order_number_counter').set({ last_number: 10000 }).where('id', '=', 1).execute();
    holding();
    await released;
  });
  await held;
  const copies = [placeOrder(db, coded(), customer.id), placeOrder(db, coded(), customer.id)];
  const waiting = async () =>
    Number(
      (await sql<{ n: string }>`select count(*) as n from pg_locks where not granted`.execute(blocker)).rows[0]!.n,
    );
  while ((await waiting()) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
  release();
  await other;
  const results = await Promise.all(copies);
  expect(results.map((r) => r.status).toSorted()).toEqual(['code_refused', 'placed']);
  expect(await db.selectFrom('orders').select('discount_cents').execute()).toEqual([{ discount_cents: 180 }]);
});
