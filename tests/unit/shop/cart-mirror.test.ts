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
vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) => (name === 'ajs_anonymous_id' ? { name, value: ANON } : undefined),
    set: () => {},
  }),
  headers: async () => new Headers(),
}));
vi.mock('@/lib/shop/server/auth/session', () => ({ getSession: async () => (lookups.session++, null) }));
vi.mock('@/lib/shop/server/customer-browsers', () => ({
  latestCustomerOf: async () => (lookups.browser++, known),
  rememberBrowser: async () => {},
}));
vi.mock('@/lib/db', async (original) => ({ ...(await original<object>()), getDb: async () => ({}) }));
const { mirrorCartChange } = await import('@/lib/shop/server/tracking');

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
