import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { env, resetEnvCache } from '@/lib/env';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { ingestRateLimit } from '@/lib/cdp/ingest/rate-limit';
import { listRejections } from '@/lib/cdp/read/rejections';
import { getAnonymousActivity } from '@/lib/cdp/read/timeline';
import { track, ingestRouteSuite } from './support';

// One address may send CDP_RATE_LIMIT calls a second, counted over 10 s; here 2, so 20 per window.
const KEY = 'rate-browser-key';
const SERVER_KEY = 'rate-server-key-0123456789';
const LIMIT = 20;
const route = ingestRouteSuite({ CDP_WRITE_KEY: KEY, CDP_SERVER_WRITE_KEY: SERVER_KEY, CDP_RATE_LIMIT: '2' });
let db: DB;
beforeAll(() => {
  db = route.db();
});
afterEach(() => vi.useRealTimers());

type Options = { from: string; key?: string; auth?: boolean };
/** A post from `from` (the address Next puts in X-Forwarded-For), with the browser key in the body by default. */
async function post(path: 'b' | 't', calls: ReturnType<typeof track>[], { from, key = KEY, auth = false }: Options) {
  const body = path === 'b' ? { batch: calls, writeKey: key } : { ...calls[0], writeKey: key };
  const headers: Record<string, string> = { 'content-type': 'text/plain', 'x-forwarded-for': from };
  if (auth) headers.authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const response = await handleIngest(
    new Request(`http://127.0.0.1/api/cdp/v1/${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
    [path],
  );
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}
const tracks = (n: number, anonymousId: string) =>
  Array.from({ length: n }, () => track('Product Viewed', { anonymousId }));
const stored = async (anonymousId: string) => (await getAnonymousActivity(db, anonymousId)).events.length;

describe('ingest rate limit per client address', () => {
  it('answers 429 with Retry-After once an address has sent its calls, and stores nothing of that request', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-02T10:00:00Z') });
    expect((await post('b', tracks(15, 'a1'), { from: '203.0.113.1' })).status).toBe(200);
    expect((await post('b', tracks(5, 'a1'), { from: '203.0.113.1' })).status).toBe(200);
    expect(await stored('a1')).toBe(LIMIT);

    const refused = await post('t', tracks(1, 'a2'), { from: '203.0.113.1' });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(10);
    expect(refused.body.error).toMatch(/^Too many calls from this address: at most 20 in 10 s/);
    expect(await stored('a2')).toBe(0);

    // Another address is not affected, nor is the shop's server (the server key in Basic auth) from this one.
    expect((await post('t', tracks(1, 'b1'), { from: '203.0.113.2' })).status).toBe(200);
    expect((await post('t', tracks(1, 'a3'), { from: '203.0.113.1', key: SERVER_KEY, auth: true })).status).toBe(200);
    expect(await stored('b1')).toBe(1);
    expect(await stored('a3')).toBe(1);

    // The window ends: the address may send again.
    vi.setSystemTime(new Date('2026-12-02T10:00:10.001Z'));
    expect((await post('t', tracks(1, 'a4'), { from: '203.0.113.1' })).status).toBe(200);
    expect(await stored('a4')).toBe(1);
  });

  it('refuses a batch that would cross the limit whole, but lets one batch larger than the limit through alone', async () => {
    expect((await post('b', tracks(15, 'c1'), { from: '203.0.113.3' })).status).toBe(200);
    const crossing = await post('b', tracks(10, 'c2'), { from: '203.0.113.3' });
    expect(crossing.status).toBe(429);
    expect(await stored('c2')).toBe(0);

    // A browser flushing many calls at once, first in its window (a batch is at most 500 KB).
    expect((await post('b', tracks(LIMIT + 5, 'd1'), { from: '203.0.113.4' })).status).toBe(200);
    expect(await stored('d1')).toBe(LIMIT + 5);
    expect((await post('t', tracks(1, 'd2'), { from: '203.0.113.4' })).status).toBe(429);
  });

  it('lets concurrent requests from one address store no more than the limit between them', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post('b', tracks(5, `e${i}`), { from: '203.0.113.5' })),
    );
    const accepted = results.filter((r) => r.status === 200).length;
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(accepted * 5).toBeLessThanOrEqual(LIMIT);
    expect(accepted).toBeGreaterThan(0);
    let total = 0;
    for (let i = 0; i < 8; i++) total += await stored(`e${i}`);
    expect(total).toBe(accepted * 5);
  });

  it('counts refused calls too: a flood with a wrong key stops being recorded at the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 3; i++)
      statuses.push((await post('t', tracks(1, 'f'), { from: '203.0.113.6', key: 'not-the-key' })).status);
    expect(statuses.slice(0, LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual([429, 429, 429]);
    const recorded = (await listRejections(db, { limit: 500 })).rejections.filter((r) => r.reason === 'write_key');
    expect(recorded).toHaveLength(LIMIT);
  });

  it('counts a request refused whole once its body is read as 16 calls, so refused bodies cannot keep it busy', async () => {
    const send = (body: string, from: string) =>
      handleIngest(
        new Request('http://127.0.0.1/api/cdp/v1/b', {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'x-forwarded-for': from },
          body,
        }),
        ['b'],
      );
    const bodies = {
      deep: '{"batch":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}',
      'not JSON': '{"batch": [',
      'not a batch': `{"writeKey":"${KEY}","batch":"calls"}`,
    };
    for (const [i, [what, body]] of Object.entries(bodies).entries()) {
      const from = `203.0.113.${10 + i}`;
      const statuses = [];
      for (let n = 0; n < 3; n++) statuses.push((await send(body, from)).status);
      // 16 calls, then 32 of the 20: the third request is refused before its body is read.
      expect(statuses, what).toEqual([400, 400, 429]);
      expect((await post('t', tracks(1, 'g1'), { from })).status, what).toBe(429);
    }
  });

  it('is off with CDP_RATE_LIMIT=off, and a value that is not a number of calls stops the app', () => {
    process.env.CDP_RATE_LIMIT = 'off';
    resetEnvCache();
    expect(ingestRateLimit()).toBeNull();
    process.env.CDP_RATE_LIMIT = 'lots';
    resetEnvCache();
    expect(() => env()).toThrow(/CDP_RATE_LIMIT: set calls per second per client address \(e\.g\. 100\), or off/);
    process.env.CDP_RATE_LIMIT = '2';
    resetEnvCache();
    expect(ingestRateLimit()).not.toBeNull();
  });
});
