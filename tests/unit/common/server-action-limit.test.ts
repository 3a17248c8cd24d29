import { NextRequest } from 'next/server';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { describe, expect, it } from 'vitest';
import { config, proxy, SERVER_ACTION_BODY_LIMIT } from '@/proxy';

// A server action POST over Next's 1 MB limit: Next answers 500 and leaves the rest of the body on the connection,
// whose next request then waited ~6 s. proxy.ts answers it 413 instead. A body that is not React's argument list
// (malformed JSON, a bare value): Next's 500 from decoding it; proxy.ts answers 400.
const action = (length: number) => ({
  'next-action': '7f24c793a794bf742507bbe3de365992558f096749',
  'content-length': String(length),
});

describe('a server action POST over 1 MB', () => {
  it('reaches the proxy, whatever its size (the matcher is literal); API routes and other POSTs do not', () => {
    for (const n of [0, 1, 999_999, SERVER_ACTION_BODY_LIMIT, SERVER_ACTION_BODY_LIMIT + 1, 123_456_789])
      expect(unstable_doesMiddlewareMatch({ config, url: '/checkout', headers: action(n) })).toBe(true);
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
    const within = new NextRequest('http://shop.test/checkout', {
      method: 'POST',
      headers: { 'next-action': action(0)['next-action'] },
      body: `[${JSON.stringify('x'.repeat(SERVER_ACTION_BODY_LIMIT - 4))}]`,
    });
    expect((await proxy(within)).status).toBe(200);

    const chunked = (n: number) =>
      new NextRequest('http://shop.test/checkout', {
        method: 'POST',
        headers: { 'next-action': action(0)['next-action'], 'transfer-encoding': 'chunked' },
        body: new Uint8Array(n).fill(0x20), // spaces…
      });
    expect((await proxy(chunked(SERVER_ACTION_BODY_LIMIT + 1))).status).toBe(413);
    expect((await proxy(chunked(SERVER_ACTION_BODY_LIMIT))).status).not.toBe(413);
    const headers = { 'next-action': 'x', 'transfer-encoding': 'chunked' };
    expect(unstable_doesMiddlewareMatch({ config, url: '/checkout', headers })).toBe(true);
  });
});

describe('a server action POST whose body is not an argument list', () => {
  const post = (body: string, contentType = 'text/plain;charset=UTF-8') =>
    proxy(
      new NextRequest('http://shop.test/checkout', {
        method: 'POST',
        headers: { 'next-action': action(0)['next-action'], 'content-type': contentType },
        body,
      }),
    );

  it('is answered 400 with a sentence, not decoded by Next (its bare 500)', async () => {
    for (const body of ['[{"a":', '"x"', '{"lines":[]}', 'null', '', 'not json']) {
      const answer = await post(body);
      expect([body, answer.status]).toEqual([body, 400]);
      expect(await answer.text()).toBe('This form could not be read. Reload the page and try again.');
    }
  });

  it('goes on when it is one (React sends a JSON array), or when the form sends multipart', async () => {
    for (const body of ['[]', '[{"sku":"GL-SER-NIA-15","quantity":1}]', ' [null] ']) {
      expect([body, (await post(body)).status]).toEqual([body, 200]);
    }
    expect((await post('--x\r\n', 'multipart/form-data; boundary=x')).status).toBe(200);
  });
});
