import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';

// Who the shopper is (a session read, then the browser's last identified customer: a database query) is looked up
// once per cart event, for both the server copy and the `cart` attribute that follows it. The real server tracker
// posts to a local stand-in of the pipeline; the session and the browser's customer are counted stand-ins.
const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const lookups = { session: 0, browser: 0 };
let known: string | undefined;
// The browser's cookies as a server action sees and sets them.
const jar = new Map<string, string>();
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
  headers: async () => new Headers(),
}));
vi.mock('@/lib/shop/server/auth/session', () => ({ getSession: async () => (lookups.session++, null) }));
vi.mock('@/lib/shop/server/customer-browsers', () => ({
  latestCustomerOf: async () => (lookups.browser++, known),
  rememberBrowser: async () => {},
}));
vi.mock('@/lib/db', async (original) => ({ ...(await original<object>()), getDb: async () => ({}) }));
const { identifyCustomer, mirrorCartChange } = await import('@/lib/shop/server/tracking');
const { IDENTITY_SIGNATURE_COOKIE, verifyIdentitySignature } = await import('@/lib/tracking/identity-signature');
const SERVER_KEY = 'cart-mirror-server-key-0123456789abcdef';

let calls: Record<string, unknown>[] = [];
let server: http.Server;
const saved = { ...process.env };
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      calls.push(...(JSON.parse(data) as { batch: Record<string, unknown>[] }).batch);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    APP_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    APP_SECRET: 'cart-mirror-secret-0123456789abcdef',
    CDP_SERVER_WRITE_KEY: SERVER_KEY,
  });
  resetEnvCache();
});
afterAll(async () => {
  process.env = { ...saved };
  resetEnvCache();
  vi.doUnmock('next/headers');
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  Object.assign(lookups, { session: 0, browser: 0 });
  calls = [];
  jar.clear();
  jar.set('ajs_anonymous_id', ANON);
});

const lines = [{ sku: 'GL-SER-NIA-30', quantity: 1 }];
const added = {
  added: { sku: 'GL-SER-NIA-30', variant_id: 'gid://glowlab/ProductVariant/ser-nia-30', quantity: 1 },
  items: [],
  cart_value: 0,
  item_count: 0,
  currency: 'USD' as const,
};
const sent = async (n: number) => {
  await vi.waitFor(() => expect(calls).toHaveLength(n));
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
  });

  it('of an anonymous shopper: one look-up (the tracker does not look again); no attribute', async () => {
    known = undefined;
    await mirrorCartChange('Added to Cart', added, { messageId: '5d0b8c3e-7a41-4f7e-8d2c-6b9e1a3f4c52', lines });
    expect(await sent(1)).toEqual([['track', null]]);
    expect(lookups).toEqual({ session: 1, browser: 1 });
  });
});

describe('the identity signature a capture hands the browser', () => {
  const customer = {
    id: 'cus_4f9Kx2LmQ8vTz1Ab',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    hasPassword: false,
    acquisitionSource: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    firstSeenAt: '2026-01-01T00:00:00.000Z',
  };
  // What the browser's identify right after the capture sends (lib/shop/server/tracking.ts browserIdentity).
  const browserCall = { userId: customer.id, anonymousId: ANON, email: customer.email };

  it('survives a cart change before the browser identifies: its identify with the email still verifies', async () => {
    known = undefined; // the capture is this browser's first identify
    await identifyCustomer(customer);
    const handed = jar.get(IDENTITY_SIGNATURE_COOKIE);
    expect(await verifyIdentitySignature(SERVER_KEY, handed, browserCall)).toEqual({ ok: true });

    // The shopper adds to the cart before the browser's identify goes out: the server copy and the `cart`
    // attribute go to the customer, and the attribute's identify (its traits carry no email) must not replace
    // the signature with one that the browser's identify with the email fails (wrong_email).
    known = customer.id;
    await mirrorCartChange('Added to Cart', added, { messageId: '8e3a1f52-6c0d-4b7a-9f21-3d5c7e9b1a04', lines });
    // Two requests in flight at once may land in either order.
    expect((await sent(3)).sort()).toEqual([
      ['identify', customer.id],
      ['identify', customer.id],
      ['track', customer.id],
    ]);
    expect(jar.get(IDENTITY_SIGNATURE_COOKIE)).toBe(handed);
    expect(await verifyIdentitySignature(SERVER_KEY, jar.get(IDENTITY_SIGNATURE_COOKIE), browserCall)).toEqual({
      ok: true,
    });
  });
});
