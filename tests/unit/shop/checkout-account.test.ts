import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { quoteOrder } from '@/lib/shop/domain/pricing';
import { actionHarness, count, testDb } from './action-harness';

// Place order for the account the checkout page showed (`account`: the signed-in customer's id, or `guest`), as Next
// calls the action: signed in or out since the page opened (another tab), nothing is placed and the sentence says
// what changed; the session alone decides whose an order is, so a forged `account` gets nothing but that refusal.
// Outside the storage suites (vitest.config.mts): the harness's stand-ins through import(), as routine-request's.
vi.mock('next/headers', async () => (await import('./action-harness')).nextHeaders());
vi.mock('next/server', async (original) => (await import('./action-harness')).nextServerRunningAfter(original));
vi.mock('@/lib/db', async (original) => ({
  ...(await original<typeof import('@/lib/db')>()),
  getDb: async () => (await import('./action-harness')).testDb(),
}));
const { placeOrder } = await import('@/lib/shop/actions/checkout');
const { logIn, logOut, signUp } = await import('@/lib/shop/actions/auth');
const { placeOrderSchema } = await import('@/lib/shop/domain/checkout-schema');

actionHarness();

const RELOAD = 'Your checkout could not be read. Reload the page and try again.';
const lines = [{ sku: 'GL-SER-NIA-15', quantity: 1 }];
const q = quoteOrder(lines, 'US');

/** What the checkout form sends for `email`, rendered for `account`. */
const order = (account: unknown, email = `buyer-${randomUUID()}@example.test`) => ({
  account,
  email,
  name: 'Ada Lovelace',
  addressLine1: '1 Main St',
  city: 'Springfield',
  postalCode: '97403',
  country: 'US',
  region: 'OR',
  lines,
  quote: {
    country: 'US',
    totalCents: q.totalCents,
    lines: q.lines.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
  },
  idempotencyKey: randomUUID(),
});

/** Signs up (the session cookie goes into the harness's jar, as in the browser) and returns the customer's id. */
async function signedUp(who: string) {
  const email = `${who}-${randomUUID()}@example.test`;
  const result = await signUp({ name: who, email, password: 'correct horse', cart: '[]' });
  if (!result.ok) throw new Error(result.error);
  const { id } = await testDb()
    .selectFrom('customers')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return { id, email };
}

const stored = () =>
  testDb().selectFrom('orders').select(['customer_id', 'email', 'placed_signed_in']).orderBy('order_number').execute();

describe('placeOrderSchema’s account', () => {
  it('is `guest` or a customer id; anything else (or none) is a page to reload', () => {
    expect(placeOrderSchema.parse(order('guest')).account).toBe('guest');
    expect(placeOrderSchema.parse(order('cus_AAAAAAAAAAAAAAAAAAAAAAAA')).account).toBe('cus_AAAAAAAAAAAAAAAAAAAAAAAA');
    for (const forged of [
      undefined,
      null,
      '',
      'Guest',
      'cus_',
      `cus_${'A'.repeat(100)}`,
      'cus_A\u0000AAAAAAAAAAAAAAAAAA',
      7,
      {},
    ]) {
      const parsed = placeOrderSchema.safeParse(order(forged));
      expect(parsed.success, String(forged)).toBe(false);
      expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['account', RELOAD]]);
    }
    // Said with the form's other problems, all at once.
    const both = placeOrderSchema.safeParse({ ...order(undefined), city: '' });
    expect(both.error!.issues.map((i) => i.path[0])).toEqual(['account', 'city']);
  });
});

describe('placeOrder for the account the page showed', () => {
  it('refuses a guest page once someone signed in, and places nothing (not for the guest, not for them)', async () => {
    const ada = await signedUp('ada');
    const result = await placeOrder(order('guest'));
    expect(result).toEqual({
      ok: false,
      error:
        `You signed in as ${ada.email} in another tab since this page opened, so no order was placed. Your order ` +
        'now goes to that account: check your details, then place your order.',
      accountChanged: true,
    });
    expect(await count('orders')).toBe(0);
    // The page shown again for Ada: her order.
    expect(await placeOrder(order(ada.id))).toMatchObject({ ok: true });
    expect(await stored()).toEqual([{ customer_id: ada.id, email: ada.email, placed_signed_in: 1 }]);
  });

  it('refuses a signed-in page once signed out, then places the guest order the page shows next', async () => {
    const ada = await signedUp('ada');
    await logOut({});
    const result = await placeOrder(order(ada.id));
    expect(result).toEqual({
      ok: false,
      error:
        'You signed out (in another tab, or your session ended) since this page opened, so no order was placed. ' +
        'Your order is now a guest order: check your details, then place your order.',
      accountChanged: true,
    });
    expect(await count('orders')).toBe(0);
    const guest = `guest-${randomUUID()}@example.test`;
    expect(await placeOrder(order('guest', guest))).toMatchObject({ ok: true });
    expect(await stored()).toEqual([{ customer_id: expect.any(String), email: guest, placed_signed_in: 0 }]);
  });

  it('refuses a page shown for one customer once another signed in, naming who is signed in now', async () => {
    const ada = await signedUp('ada');
    const bob = await signedUp('bob');
    expect(await placeOrder(order(ada.id))).toMatchObject({
      ok: false,
      error: expect.stringMatching(new RegExp(`^You signed in as ${bob.email.replace(/[.+]/g, '\\$&')} in another`)),
      accountChanged: true,
    });
    expect(await count('orders')).toBe(0);
  });

  it('never orders as the customer a forged account names: the session decides, the field only refuses', async () => {
    const ada = await signedUp('ada');
    await logOut({});
    expect(await placeOrder(order(ada.id))).toMatchObject({ ok: false, accountChanged: true });
    const bob = await signedUp('bob');
    expect(await placeOrder(order(ada.id))).toMatchObject({ ok: false, accountChanged: true });
    expect(await count('orders')).toBe(0);
    expect(await placeOrder(order(bob.id))).toMatchObject({ ok: true });
    expect((await stored()).map((o) => o.customer_id)).toEqual([bob.id]);
  });

  it('answers a retry of an attempt that placed its order (its answer lost) with that order, signed in since', async () => {
    const input = order('guest');
    const first = await placeOrder(input);
    if (!first.ok) throw new Error(first.error);
    await signedUp('ada');
    expect(await placeOrder(input)).toMatchObject({ ok: true, orderId: first.orderId, url: first.url });
    expect(await stored()).toEqual([{ customer_id: expect.any(String), email: input.email, placed_signed_in: 0 }]);
  });

  // Ada's answer was lost; she signed out and Bob in (another tab). The tab still holds her attempt: its order (her
  // name, address, lines, a signed link) is hers to be told, and Bob gets a new attempt, whatever the page showed.
  const PLACED_FOR_ANOTHER =
    'An order was already placed from this page while signed in to an account that is not signed in now, so no new ' +
    'order was placed. Sign in to that account to see it in your orders, or check your details, then place your ' +
    'order.';

  it('tells a signed-in order only to its account: a retry after another signs in starts a new attempt', async () => {
    const ada = await signedUp('ada');
    const input = order(ada.id);
    const first = await placeOrder(input);
    if (!first.ok) throw new Error(first.error);
    await logOut({});
    const bob = await signedUp('bob');
    for (const shown of [ada.id, bob.id]) {
      const retry = await placeOrder({ ...input, account: shown });
      expect(retry).toEqual({ ok: false, error: PLACED_FOR_ANOTHER, accountChanged: true, newAttempt: true });
      expect(JSON.stringify(retry)).not.toContain(first.orderId);
    }
    // Changed since (another cart: an `alreadyPlaced` answer would name Ada's order and what it bought): the same.
    const other = { ...input, account: bob.id, lines: [{ sku: 'GL-CLN-GEL-150', quantity: 2 }] };
    expect(await placeOrder(other)).toMatchObject({ ok: false, newAttempt: true });
    expect(await stored()).toEqual([{ customer_id: ada.id, email: ada.email, placed_signed_in: 1 }]);
    // Bob's new attempt orders for him.
    expect(await placeOrder({ ...input, account: bob.id, idempotencyKey: randomUUID() })).toMatchObject({ ok: true });
    expect((await stored()).map((o) => o.customer_id)).toEqual([ada.id, bob.id]);
  });

  it('tells a signed-in order only to its account: signed out since, a guest retry is a new attempt too', async () => {
    const ada = await signedUp('ada');
    const input = order(ada.id);
    expect(await placeOrder(input)).toMatchObject({ ok: true });
    await logOut({});
    expect(await placeOrder({ ...input, account: 'guest' })).toMatchObject({ ok: false, newAttempt: true });
    expect(await count('orders')).toBe(1);
    // Signed in again, she is answered with her order as before.
    await logIn({ email: ada.email, password: 'correct horse', cart: '[]' });
    expect(await placeOrder(input)).toMatchObject({ ok: true });
    expect(await count('orders')).toBe(1);
  });
});
