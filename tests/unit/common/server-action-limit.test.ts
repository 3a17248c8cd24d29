import { NextRequest } from 'next/server';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { describe, expect, it } from 'vitest';
import { config, proxy, SERVER_ACTION_BODY_LIMIT } from '@/proxy';

// A server action POST over Next's 1 MB limit: Next answers 500 and leaves the rest of the body on the connection,
// whose next request then waited ~6 s. proxy.ts answers it 413 instead.
const action = (length: number) => ({
  'next-action': '7f24c793a794bf742507bbe3de365992558f096749',
  'content-length': String(length),
});

describe('a server action POST over 1 MB', () => {
  it('reaches the proxy exactly when its declared body is over the limit (the matcher is a literal pattern)', () => {
    const limit = SERVER_ACTION_BODY_LIMIT;
    const lengths = [
      0,
      1,
      999_999,
      1_000_000,
      limit - 1,
      limit,
      limit + 1,
      limit + 3,
      limit + 23,
      limit + 424,
      limit + 3_424,
    ];
    for (let n = 1_040_000; n < 1_100_000; n += 997) lengths.push(n);
    lengths.push(1_100_000, 1_999_999, 2_000_000, 9_999_999, 10_000_000, 123_456_789);
    for (const n of lengths)
      expect([n, unstable_doesMiddlewareMatch({ config, url: '/checkout', headers: action(n) })]).toEqual([
        n,
        n > limit,
      ]);
    // Not API routes (they read their bodies with their own limits), nor POSTs that are not server actions.
    expect(unstable_doesMiddlewareMatch({ config, url: '/api/cdp/v1/batch', headers: action(2_000_000) })).toBe(false);
    expect(unstable_doesMiddlewareMatch({ config, url: '/checkout', headers: { 'content-length': '2000000' } })).toBe(
      false,
    );
  });

  it('is answered 413, declared or sent chunked; one within the limit goes on', async () => {
    const request = (n: number) => new NextRequest('http://shop.test/checkout', { method: 'POST', headers: action(n) });
    const refused = await proxy(request(2_000_000));
    expect(refused.status).toBe(413);
    expect(await refused.text()).toMatch(/more than 1 MB/);
    expect((await proxy(request(SERVER_ACTION_BODY_LIMIT))).status).not.toBe(413);

    const chunked = (n: number) =>
      new NextRequest('http://shop.test/checkout', {
        method: 'POST',
        headers: { 'next-action': action(0)['next-action'], 'transfer-encoding': 'chunked' },
        body: new Uint8Array(n),
      });
    expect((await proxy(chunked(SERVER_ACTION_BODY_LIMIT + 1))).status).toBe(413);
    expect((await proxy(chunked(SERVER_ACTION_BODY_LIMIT))).status).not.toBe(413);
    const headers = { 'next-action': 'x', 'transfer-encoding': 'chunked' };
    expect(unstable_doesMiddlewareMatch({ config, url: '/checkout', headers })).toBe(true);
  });
});
