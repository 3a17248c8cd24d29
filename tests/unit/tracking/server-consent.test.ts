import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// Inside a request, the server tracker reads the consent cookie like proxy.ts and the browser do.
const jar = new Map<string, string>();
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined) }),
}));
const { createServerTracker, requestAllowsTracking } = await import('@/lib/tracking/server');

const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const CUSTOMER = 'cus_4f9Kx2LmQ8vTz1Ab';
let received = 0;
let server: http.Server;
let origin: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
// The unit project's files share a worker: the next file gets the real next/headers.
afterAll(() => vi.doUnmock('next/headers'));
beforeEach(() => {
  jar.clear();
  jar.set('ajs_anonymous_id', ANON);
  received = 0;
});

const tracker = (consentMode: 'opt-in' | 'opt-out') =>
  createServerTracker({ writeKey: 'k', host: origin, path: '/api/cdp/v1/batch', strict: true, consentMode });

describe('server tracker consent', () => {
  it('opt-in: sends nothing until the consent cookie says granted', async () => {
    expect(await requestAllowsTracking('opt-in')).toBe(false);
    const skipped = await tracker('opt-in').mirror(
      'Added to Cart',
      { added: { sku: 'A', variant_id: 'v', quantity: 1 }, items: [], cart_value: 0, item_count: 0, currency: 'USD' },
      { messageId: 'm1' },
    );
    const noIdentify = await tracker('opt-in').identifyServer(CUSTOMER, { email: 'ada@example.com' });
    expect([skipped.sent, noIdentify.sent]).toEqual([false, false]);

    jar.set('glowlab_consent', 'granted');
    const sent = await tracker('opt-in').trackServerOnly('Quiz Started', { quiz_id: 'q' });
    expect(await sent.delivered).toBe(true);
    expect(received).toBe(1);
  });

  it('opt-out: sends unless the shopper declined', async () => {
    expect(await (await tracker('opt-out').trackServerOnly('Quiz Started', { quiz_id: 'q' })).delivered).toBe(true);
    jar.set('glowlab_consent', 'denied');
    expect((await tracker('opt-out').trackServerOnly('Quiz Started', { quiz_id: 'q' })).sent).toBe(false);
    expect(received).toBe(1);
  });
});
