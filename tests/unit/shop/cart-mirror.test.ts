import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { MIRROR_MAX_AGE_MS, mirrorFields } from '@/lib/shop/domain/fields';
import { ADDED_SERUM, pipelineStandIn } from './pipeline-stand-in';

// Who the shopper is (a session read, then the browser's last identified customer: a database query) is looked up
// once per cart event, for both the server copy and the `cart` attribute that follows it. The real server tracker
// posts to a local stand-in of the pipeline; the session and the browser's customer are counted stand-ins. Both go
// through the shop's outbox, as a signup's identify does (the last test: the pipeline down, then back).
const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const lookups = { session: 0, browser: 0 };
let known: string | undefined;
const cookiesSet: string[] = [];
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (name === 'ajs_anonymous_id' ? { name, value: ANON } : undefined),
    set: (name: string) => void cookiesSet.push(name),
  }),
  headers: async () => new Headers(),
}));
vi.mock('@/lib/shop/server/auth/session', () => ({ getSession: async () => (lookups.session++, null) }));
vi.mock('@/lib/shop/server/customer-browsers', () => ({
  latestCustomerOf: async () => (lookups.browser++, known),
  rememberBrowser: async () => {},
  rememberCartWrite: async () => {},
  setCartLast: async () => false,
}));
// The shop's outbox (the calls are written there, then sent): an in-memory database of this file's own.
vi.mock('@/lib/db', async (original) => {
  const db = await original<typeof import('@/lib/db')>();
  let memory: ReturnType<typeof db.openDatabase> | undefined;
  return { ...db, getDb: async () => (memory ??= db.openDatabase(':memory:')) };
});
const { identifyCustomer, mirrorCartChange } = await import('@/lib/shop/server/tracking');
const { sendShopEvents } = await import('@/lib/shop/server/shop-events');
const { getDb } = await import('@/lib/db');
const outboxOf = async (messageId: string) =>
  (await getDb())
    .selectFrom('shop_event_outbox')
    .select(['status', 'person_key'])
    .where('message_id', '=', messageId)
    .execute();

let calls: Record<string, unknown>[] = [];
/** The pipeline answers 503 to everything (down) until this is false again. */
let down = false;
pipelineStandIn({ APP_SECRET: 'cart-mirror-secret-0123456789abcdef' }, (body, res) => {
  if (down) return void res.writeHead(503).end();
  calls.push(...(JSON.parse(body) as { batch: Record<string, unknown>[] }).batch);
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
});
beforeEach(() => {
  Object.assign(lookups, { session: 0, browser: 0 });
  calls = [];
  cookiesSet.length = 0;
  down = false;
});

const lines = [{ sku: 'GL-SER-NIA-30', quantity: 1 }];
const added = ADDED_SERUM;
const sent = async (n: number) => {
  // Sent after the action, through the outbox and a loopback request: allow for a busy machine.
  await vi.waitFor(() => expect(calls).toHaveLength(n), { timeout: 10_000 });
  return calls.map((c) => [c.type, c.userId ?? null]);
};

describe('a cart event', () => {
  it('of a shopper this browser was identified as: one look-up; the copy and the cart attribute go to them', async () => {
    known = 'cus_4f9Kx2LmQ8vTz1Ab';
    await mirrorCartChange('Added to Cart', added, { messageId: 'f0c7a7d2-1b7e-4c55-9a0e-2a4f7d1c9b31', lines });
    expect(await sent(2)).toEqual([
      ['track', known],
      ['identify', known],
    ]);
    expect(lookups).toEqual({ session: 1, browser: 1 });
    // Both went through the outbox, and were marked sent once the pipeline acknowledged them (after the action).
    await vi.waitFor(async () => {
      expect(await outboxOf('f0c7a7d2-1b7e-4c55-9a0e-2a4f7d1c9b31')).toEqual([{ status: 'sent', person_key: known }]);
      expect(await outboxOf(calls[1]!.messageId as string)).toEqual([{ status: 'sent', person_key: known }]);
    });
  });

  it('tracked a while ago in the browser (a mirror held until Accept): dated then, as the browser copy is', async () => {
    known = undefined;
    const before = Date.now();
    const messageId = '3c6e1f0a-8b2d-4e7f-9a1c-5d4b3e2f1a09';
    await mirrorCartChange('Added to Cart', added, { messageId, ageMs: 90_000, lines });
    const after = Date.now();
    await sent(1);
    const at = Date.parse(calls[0]!.timestamp as string);
    expect(at).toBeGreaterThanOrEqual(before - 90_000);
    expect(at).toBeLessThanOrEqual(after - 90_000);
    // The age is capped where the action reads it (MIRROR_MAX_AGE_MS): no server copy is dated hours back.
    expect(z.object(mirrorFields).parse({ messageId, ageMs: 5 * 60 * 60 * 1000 }).ageMs).toBe(MIRROR_MAX_AGE_MS);
  });

  it('of an anonymous shopper: one look-up (the tracker does not look again); no attribute', async () => {
    known = undefined;
    await mirrorCartChange('Added to Cart', added, { messageId: '5d0b8c3e-7a41-4f7e-8d2c-6b9e1a3f4c52', lines });
    expect(await sent(1)).toEqual([['track', null]]);
    expect(lookups).toEqual({ session: 1, browser: 1 });
  });
});

describe("a login's identify (identifyCustomer) and the browser's cart", () => {
  const grace = {
    id: 'cus_Grace00000000000000',
    email: 'grace@example.test',
    name: 'Grace Hopper',
    hasPassword: true,
    acquisitionSource: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    firstSeenAt: '2026-03-01T09:00:00.000Z',
  };
  const cartTrait = async (cart: Parameters<typeof identifyCustomer>[1]) => {
    known = undefined;
    await identifyCustomer(grace, cart);
    await sent(1);
    const traits = calls[0]!.traits as Record<string, unknown>;
    calls = [];
    return 'cart' in traits ? traits.cart : 'untouched';
  };

  it('sets the `cart` attribute from a cart with lines, clears it for an order (null), and leaves it for an empty cart', async () => {
    expect(await cartTrait({ cart: lines })).toMatchObject({
      items: [expect.objectContaining({ sku: lines[0]!.sku })],
    });
    expect(await cartTrait({ cart: null })).toBeNull();
    // A login from a browser with no cart (another device, or after the logout emptied it) does not cancel the
    // recovery of the cart the customer left: the attribute stays as it was.
    expect(await cartTrait({ cart: [] })).toBe('untouched');
    expect(await cartTrait({})).toBe('untouched');
  });
});

describe('a signup identify (identifyCustomer) while the pipeline is down', () => {
  it('is kept in the outbox, the browser still gets its signature, and the minute pass delivers it later', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // the node SDK's "could not be delivered"
    known = undefined;
    down = true;
    const ada = {
      id: 'cus_Ada0000000000000000',
      email: 'ada@example.test',
      name: 'Ada Lovelace',
      hasPassword: true,
      acquisitionSource: null,
      createdAt: '2026-03-01T10:00:00.000Z',
      firstSeenAt: '2026-03-01T09:00:00.000Z',
    };
    // The browser's identify that follows needs its signature, whatever the pipeline's state: in the answer, with
    // the anonymous id it was minted for, and as the cookie.
    expect(await identifyCustomer(ada)).toEqual({
      customerId: ada.id,
      traits: { email: ada.email },
      anonymousId: ANON,
      signature: expect.stringMatching(/^v1\./),
    });
    expect(cookiesSet).toContain('ajs_identity_signature');
    // Written before the action returned; its first attempt, made after, fails and leaves it for the minute pass.
    const rowOfAda = async () =>
      (await (await getDb()).selectFrom('shop_event_outbox').selectAll().where('person_key', '=', ada.id).execute())[0];
    expect(await rowOfAda()).toBeDefined();
    await vi.waitFor(
      async () =>
        expect(await rowOfAda()).toMatchObject({
          status: 'pending',
          attempts: 1,
          last_error: expect.stringContaining('acknowledge'),
        }),
      { timeout: 20_000, interval: 100 },
    );
    const row = await rowOfAda();

    // Back up: the minute job's pass (a minute later, past the backoff) delivers it as it was made.
    down = false;
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 });
    try {
      expect(await sendShopEvents(await getDb())).toMatchObject({ sent: 1 });
    } finally {
      vi.useRealTimers();
    }
    const stored = JSON.parse(row!.payload) as Record<string, unknown>;
    expect(calls).toEqual([
      expect.objectContaining({
        type: 'identify',
        userId: ada.id,
        anonymousId: ANON,
        messageId: stored.messageId,
        timestamp: stored.timestamp,
        traits: expect.objectContaining({ email: ada.email, first_name: 'Ada' }),
      }),
    ]);
    vi.restoreAllMocks();
  });
});
