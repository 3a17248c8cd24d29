import { NextRequest } from 'next/server';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { config, proxy, SERVER_ACTION_BODY_LIMIT } from '@/proxy';

// A server action POST over Next's 1 MB limit: Next answers 500 and leaves the rest of the body on the connection,
// whose next request then waited ~6 s. proxy.ts answers it 413 instead. A body that is not React's argument list
// (malformed JSON, a bare value, a reference to a part never sent): Next's 500 from decoding it; proxy.ts answers 400.
// One from another site: Next's 500 from its Origin check; proxy.ts answers 403.
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
    for (const body of ['[]', '[{"sku":"GL-SER-NIA-15","quantity":1}]', ' [null] ', '[{"code":"$undefined"}]']) {
      expect([body, (await post(body)).status]).toEqual([body, 200]);
    }
    const form = new FormData();
    form.append('_1_email', 'a@example.com');
    form.append('0', '["$K1"]');
    const sent = new Request('http://shop.test/', { method: 'POST', body: form });
    const multipart = await sent.text();
    expect((await post(multipart, sent.headers.get('content-type')!)).status).toBe(200);
    // References to parts no form sends, nesting React's reviver overflowed on, no arguments part: Next's 500.
    for (const body of ['["$Q1"]', '[{"lines":"$1"}]', '['.repeat(10_000) + ']'.repeat(10_000)])
      expect([body.slice(0, 20), (await post(body)).status]).toEqual([body.slice(0, 20), 400]);
    expect((await post('--x\r\n', 'multipart/form-data; boundary=x')).status).toBe(400);
    expect((await post(multipart.replace('name="0"', 'name="1"'), sent.headers.get('content-type')!)).status).toBe(400);
  });
});

describe('a server action POST from another site', () => {
  const post = (origin: string | null, headers: Record<string, string> = {}) =>
    proxy(
      new NextRequest('http://shop.test/checkout', {
        method: 'POST',
        headers: {
          'next-action': action(0)['next-action'],
          host: 'shop.test',
          ...(origin !== null && { origin }),
          ...headers,
        },
        body: '[{}]',
      }),
    );

  it('is answered 403 (Next answered its own Origin check with a 500); the same site, or no Origin, goes on', async () => {
    const refused = await post('https://evil.example');
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('This form was sent from another site.');
    expect((await post('null')).status).toBe(403);
    expect((await post('http://shop.test')).status).toBe(200);
    expect((await post(null)).status).toBe(200);
  });

  // With `X-Forwarded-Host: evil.example` a client made `Origin: http://evil.example` same-site (Next's own check
  // believes the header too). A proxy's header is believed only behind TRUST_PROXY; without it the client's is dropped
  // before Next runs (Next then sets X-Forwarded-Host to Host itself).
  it('believes X-Forwarded-Host only behind TRUST_PROXY, and drops a client’s before Next sees it', async () => {
    const saved = process.env.TRUST_PROXY;
    const handedOn = (response: Response) => response.headers.get('x-middleware-override-headers')?.split(',') ?? [];
    try {
      delete process.env.TRUST_PROXY;
      resetEnvCache();
      const forged = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
      expect((await post('http://evil.example', forged)).status).toBe(403);
      const same = await post('http://shop.test', forged);
      expect(same.status).toBe(200);
      expect(handedOn(same)).toContain('host');
      expect(handedOn(same)).not.toContain('x-forwarded-host');
      expect(handedOn(same)).not.toContain('x-forwarded-proto');
      const proxied = { 'x-forwarded-host': 'shop.test', host: 'internal:3000' };
      expect((await post('https://shop.test', proxied)).status).toBe(403);

      process.env.TRUST_PROXY = '1';
      resetEnvCache();
      const behind = await post('https://shop.test', proxied);
      expect(behind.status).toBe(200);
      expect(handedOn(behind)).toContain('x-forwarded-host');
      expect((await post('https://evil.example', proxied)).status).toBe(403);
      expect((await post('http://internal:3000', proxied)).status).toBe(403);
    } finally {
      if (saved === undefined) delete process.env.TRUST_PROXY;
      else process.env.TRUST_PROXY = saved;
      resetEnvCache();
    }
  });

  it('reaches the proxy when it carries X-Forwarded-Host or -Proto, on any path (API routes included)', () => {
    for (const key of ['x-forwarded-host', 'x-forwarded-proto'])
      for (const url of ['/api/cdp/v1/batch', '/api/shop/tracking', '/checkout'])
        expect(unstable_doesMiddlewareMatch({ config, url, headers: { [key]: 'x', 'content-length': '2' } })).toBe(
          true,
        );
    expect(unstable_doesMiddlewareMatch({ config, url: '/api/cdp/v1/batch', headers: { 'content-length': '2' } })).toBe(
      false,
    );
  });
});
