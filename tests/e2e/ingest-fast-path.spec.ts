import crypto from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { APIResponse } from '@playwright/test';
import { expect, test } from './support/test';

// scripts/serve.mjs answers POST/OPTIONS on the exact ingest paths itself, before Next.js, with the route's own
// handlers. Each request below is sent both ways on the same server: to /api/cdp/v1/<endpoint> (the fast path) and
// to the same endpoint with its first letter percent-escaped, which the fast path never takes, so Next.js routes
// it (through proxy.ts, like every escaped path) to app/api/cdp/v1/[...path]/route.ts. The answers must be equal.

const WRITE_KEY = process.env.E2E_WRITE_KEY!;
const basicAuth = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const escaped = (endpoint: string) => `%${endpoint.charCodeAt(0).toString(16)}${endpoint.slice(1)}`;
const call = () => ({ type: 'track', event: 'Product Viewed', anonymousId: crypto.randomUUID() });
// A call these cases expect stored: no event of the shop's plan, which zz-plan-quality.spec.ts holds to the plan.
const storedCall = () => ({ ...call(), event: 'Fast Path Checked' });

// Next.js marks every route handler's answer Vary: rsc, next-router-… (its client router's cache keys) and
// Accept-Encoding, and gzips it when the client accepts that (Playwright does; the answers are under 200 bytes); the
// fast path sends the body as is, so it has neither to declare. Framing differs too (the fast path sends
// Content-Length, Next chunks), and Date. Bodies are compared decoded.
const NEXT_VARY = /^(rsc|next-router-.*|accept-encoding)$/i;
const FRAMING = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
]);
const servedByNext = (res: APIResponse) =>
  (res.headers()['vary'] ?? '').split(',').some((v) => NEXT_VARY.test(v.trim()));

async function answer(res: APIResponse) {
  const headers: Record<string, string> = {};
  for (const { name, value } of res.headersArray()) {
    const key = name.toLowerCase();
    if (FRAMING.has(key)) continue;
    const kept =
      key === 'vary'
        ? value
            .split(',')
            .map((v) => v.trim())
            .filter((v) => !NEXT_VARY.test(v))
            .join(', ')
        : value;
    if (kept) headers[key] = headers[key] ? `${headers[key]}, ${kept}` : kept;
  }
  return { status: res.status(), headers, body: (await res.body()).toString() };
}

type Case = {
  name: string;
  endpoint: string;
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** What both must answer, where the answer itself is under test (status, and a part of the JSON body). */
  expected?: { status: number; body?: Record<string, unknown> };
};
const strict = { 'X-Strict-Mode': '1' };
const cases: Case[] = [
  {
    name: 'malformed JSON',
    endpoint: 'batch',
    headers: { 'Content-Type': 'application/json', ...strict },
    body: '{"batch": [',
  },
  {
    name: 'a body over 500 KB',
    endpoint: 'b',
    headers: { 'Content-Type': 'text/plain', ...strict },
    body: JSON.stringify({ batch: [{ ...call(), properties: { blob: 'x'.repeat(600 * 1024) } }], writeKey: WRITE_KEY }),
  },
  {
    name: 'a wrong write key, strict',
    endpoint: 'batch',
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth('not-the-key'), ...strict },
    body: JSON.stringify({ batch: [call()] }),
  },
  {
    name: 'a wrong write key, permissive (answered 200, recorded as a rejection)',
    endpoint: 't',
    headers: { 'Content-Type': 'text/plain' },
    body: JSON.stringify({ ...call(), writeKey: 'not-the-key' }),
  },
  {
    name: 'a call of the wrong type for its endpoint',
    endpoint: 'i',
    headers: { 'Content-Type': 'text/plain', ...strict },
    body: JSON.stringify({ ...call(), writeKey: WRITE_KEY }),
  },
  {
    name: 'an unsupported content type',
    endpoint: 't',
    headers: { 'Content-Type': 'text/html', ...strict },
    body: '{}',
  },
  {
    name: 'an unknown content encoding',
    endpoint: 't',
    headers: { 'Content-Type': 'text/plain', 'Content-Encoding': 'br', ...strict },
    body: '{}',
  },
  {
    name: 'a body that is not the gzip it says',
    endpoint: 't',
    headers: { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip', ...strict },
    body: 'not gzip',
  },
  {
    name: 'a gzip body over the limit once inflated',
    endpoint: 'b',
    headers: { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip', ...strict },
    body: gzipSync(Buffer.alloc(2 * 1024 * 1024, 'x')),
  },
  {
    name: 'a POST from a foreign origin',
    endpoint: 't',
    headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' },
    body: JSON.stringify({ ...call(), writeKey: WRITE_KEY }),
  },
  {
    name: 'a preflight from a foreign origin',
    endpoint: 't',
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
  },
  { name: 'an empty body', endpoint: 'batch', headers: { 'Content-Type': 'application/json', ...strict }, body: '' },
  {
    name: 'an event name over 200 characters, strict (its reason, not "must be a string")',
    endpoint: 't',
    headers: { 'Content-Type': 'text/plain', ...strict },
    body: JSON.stringify({ ...call(), event: 'e'.repeat(201), writeKey: WRITE_KEY }),
    expected: { status: 400, body: { problems: [{ path: 'event', message: 'event must be at most 200 characters' }] } },
  },
  {
    name: 'a timestamp in year 0050, strict (read as written)',
    endpoint: 't',
    headers: { 'Content-Type': 'text/plain', ...strict },
    body: JSON.stringify({ ...storedCall(), timestamp: '0050-01-01', writeKey: WRITE_KEY }),
    expected: { status: 200, body: { stored: 1 } },
  },
  {
    name: 'a body in a charset other than UTF-8',
    endpoint: 't',
    headers: { 'Content-Type': 'text/plain; charset=latin1', ...strict },
    body: Buffer.from(JSON.stringify({ ...call(), event: 'Café', writeKey: WRITE_KEY }), 'latin1'),
    expected: {
      status: 415,
      body: { error: expect.stringMatching(/^Content-Type charset "latin1" is not supported/) },
    },
  },
  {
    name: 'a body that starts with a UTF-8 byte-order mark',
    endpoint: 't',
    headers: { 'Content-Type': 'application/json; charset="UTF-8"', ...strict },
    body: `\uFEFF${JSON.stringify({ ...storedCall(), writeKey: WRITE_KEY })}`,
    expected: { status: 200, body: { stored: 1 } },
  },
];

test.describe('the ingest fast path answers as the route does', () => {
  for (const c of cases) {
    test(c.name, async ({ request }) => {
      const send = (endpoint: string) =>
        request.fetch(`/api/cdp/v1/${endpoint}`, {
          method: c.method ?? 'POST',
          headers: c.headers,
          ...(c.body !== undefined && { data: Buffer.from(c.body) }),
        });
      const fast = await send(c.endpoint);
      const route = await send(escaped(c.endpoint));
      expect(servedByNext(fast), 'the exact path is answered before Next.js').toBe(false);
      expect(servedByNext(route), 'the escaped path is answered by Next.js').toBe(true);
      expect(fast.status()).toBeGreaterThanOrEqual(200);
      expect(await answer(fast)).toEqual(await answer(route));
      if (c.expected) {
        expect(fast.status()).toBe(c.expected.status);
        expect(await fast.json()).toMatchObject(c.expected.body ?? {});
      }
    });
  }

  test('a preflight from the shop and a valid call, with CORS', async ({ request, baseURL }) => {
    const preflight = (endpoint: string) =>
      request.fetch(`/api/cdp/v1/${endpoint}`, {
        method: 'OPTIONS',
        headers: { Origin: baseURL!, 'Access-Control-Request-Method': 'POST' },
      });
    const fast = await preflight('b');
    expect(fast.status()).toBe(204);
    expect(servedByNext(fast)).toBe(false);
    expect(await answer(fast)).toEqual(await answer(await preflight(escaped('b'))));
    // Strict: a call the tracking plan does not know is refused (400) and not stored, both ways alike.
    const post = (endpoint: string) =>
      request.post(`/api/cdp/v1/${endpoint}`, {
        headers: { 'Content-Type': 'text/plain', Origin: baseURL!, ...strict },
        data: Buffer.from(JSON.stringify({ ...call(), event: '', writeKey: WRITE_KEY })),
      });
    const refused = await post('t');
    expect(refused.status()).toBe(400);
    expect(refused.headers()['access-control-allow-origin']).toBe(baseURL);
    expect(await answer(refused)).toEqual(await answer(await post(escaped('t'))));
  });

  test('what the fast path does not take goes to Next.js (other methods, other paths); one with X-Forwarded-For is its own', async ({
    request,
  }) => {
    const get = await request.get('/api/cdp/v1/t');
    expect(get.status()).toBe(405);
    expect(get.headers()['allow']).toBe('OPTIONS, POST');
    expect(servedByNext(get)).toBe(true);
    const slash = await request.post('/api/cdp/v1/t/', { data: Buffer.from('{}'), maxRedirects: 0 });
    expect(slash.status()).toBe(308);
    const unknown = await request.post('/api/cdp/v1/nope', { headers: strict, data: Buffer.from('{}') });
    expect(unknown.status()).toBe(404);
    expect(servedByNext(unknown)).toBe(true);
    // A client's X-Forwarded-For (no TRUST_PROXY here): answered by the fast path, which does not believe it.
    const forwarded = await request.post('/api/cdp/v1/t', {
      headers: { 'Content-Type': 'text/plain', 'X-Forwarded-For': '203.0.113.9', ...strict },
      data: Buffer.from('{"type":'),
    });
    expect(forwarded.status()).toBe(400);
    expect(servedByNext(forwarded)).toBe(false);
  });
});
