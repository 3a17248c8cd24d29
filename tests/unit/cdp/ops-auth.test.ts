import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { opsAuthentication } from '@/lib/cdp/ops/auth';
import { isOpsToken, OPS_COOKIE } from '@/lib/cdp/ops/console-access';
import { isSameOriginRequest } from '@/lib/cdp/ops/same-origin';
import { handleOpsSessionGet, handleOpsSessionPost, OPS_SIGN_IN_LIMIT } from '@/lib/cdp/ops/session-route';
import { opsErrorResponse, peopleResponse } from '@/lib/cdp/ops/contract';
import { opsRoute } from '@/lib/cdp/ops/route';
import { createOpsSession } from '@/lib/cdp/store/ops-sessions';
import { DatabaseUnavailableError } from '@/lib/db/unavailable';
import { freshDb } from './support';

const TOKEN = 'ops-token-for-tests';
const saved = { ...process.env };
beforeAll(() => {
  Object.assign(process.env, {
    OPS_TOKEN: TOKEN,
    APP_SECRET: 'app-secret-for-unit-tests',
    APP_URL: 'http://shop.test',
  });
  resetEnvCache();
});
afterAll(() => {
  process.env = { ...saved };
  resetEnvCache();
});

let db: DB;
beforeEach(async () => {
  db = await freshDb();
});

const URL_ = 'http://127.0.0.1:3000/api/ops/session';
const request = (headers: Record<string, string>) => new Request('http://127.0.0.1/api/ops/people', { headers });
const form = (fields: Record<string, string>, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) =>
  new Request(URL_, { method: 'POST', headers, body: new URLSearchParams(fields) });
const sessionCookie = (response: Response) =>
  /glowlab_ops=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? null;

describe('ops auth', () => {
  it('accepts the bearer token and refuses anything else', async () => {
    expect(isOpsToken(TOKEN)).toBe(true);
    expect(isOpsToken('ops-token-for-test')).toBe(false);
    expect(await opsAuthentication(db, request({ authorization: `Bearer ${TOKEN}` }))).toBe('bearer');
    expect(await opsAuthentication(db, request({ authorization: 'Bearer nope' }))).toBeNull();
    expect(await opsAuthentication(db, request({}))).toBeNull();
  });

  it('a sign-in makes a random session of its own, which sign-out ends for every copy of the cookie', async () => {
    const first = sessionCookie(await handleOpsSessionPost(form({ token: TOKEN }), db));
    const second = sessionCookie(await handleOpsSessionPost(form({ token: TOKEN }), db));
    expect(first).toMatch(/^[\w-]{40,}$/);
    expect(second).not.toBe(first);
    expect(first).not.toContain(TOKEN);
    const withCookie = (value: string) => request({ cookie: `theme=dark; ${OPS_COOKIE}=${value}` });
    expect(await opsAuthentication(db, withCookie(first!))).toBe('cookie');
    expect(await opsAuthentication(db, withCookie(TOKEN))).toBeNull();

    const out = await handleOpsSessionPost(
      new Request(URL_, {
        method: 'POST',
        headers: { 'sec-fetch-site': 'same-origin', cookie: `${OPS_COOKIE}=${first}` },
        body: new URLSearchParams({ intent: 'logout' }),
      }),
      db,
    );
    expect(out.headers.get('location')).toBe('/ops/login');
    expect(await opsAuthentication(db, withCookie(first!))).toBeNull();
    expect(await opsAuthentication(db, withCookie(second!))).toBe('cookie');
  });

  it('a session expires on the server, and rotating OPS_TOKEN ends every session', async () => {
    const expired = await createOpsSession(db, TOKEN, 1000, new Date(Date.now() - 2000));
    expect(await opsAuthentication(db, request({ cookie: `${OPS_COOKIE}=${expired}` }))).toBeNull();
    const otherToken = await createOpsSession(db, 'the-previous-ops-token', 60_000);
    expect(await opsAuthentication(db, request({ cookie: `${OPS_COOKIE}=${otherToken}` }))).toBeNull();
  });

  it('refuses a cookie with a malformed escape instead of throwing', async () => {
    expect(await opsAuthentication(db, request({ cookie: `${OPS_COOKIE}=%ZZ` }))).toBeNull();
    expect(await opsAuthentication(db, request({ cookie: `${OPS_COOKIE}=%E0%A4%A` }))).toBeNull();
  });

  it('limits wrong tokens per client, then refuses even the right one until the window passes', async () => {
    const from = { 'sec-fetch-site': 'same-origin', 'x-forwarded-for': '203.0.113.4' };
    for (let i = 0; i < OPS_SIGN_IN_LIMIT; i++) {
      const wrong = await handleOpsSessionPost(form({ token: `guess-${i}` }, from), db);
      expect(wrong.headers.get('location')).toBe('/ops/login?error=invalid');
    }
    const locked = await handleOpsSessionPost(form({ token: TOKEN }, from), db);
    expect(locked.headers.get('location')).toBe('/ops/login?error=locked&minutes=15');
    expect(sessionCookie(locked)).toBeNull();
    const viaLink = await handleOpsSessionGet(new Request(`${URL_}?token=${TOKEN}`, { headers: from }), db);
    expect(viaLink.headers.get('location')).toMatch(/error=locked/);
    // Another client is not affected.
    const other = await handleOpsSessionPost(form({ token: TOKEN }, { 'sec-fetch-site': 'same-origin' }), db);
    expect(other.headers.get('location')).toBe('/ops');
  });
});

describe('the sign-in link (GET)', () => {
  it("another site's images, frames or scripts cannot spend a client's sign-in attempts", async () => {
    const from = { 'x-forwarded-for': '203.0.113.9' };
    for (const dest of ['image', 'iframe', 'script', 'empty'])
      for (const site of ['cross-site', 'same-site']) {
        const headers = { ...from, 'sec-fetch-site': site, 'sec-fetch-dest': dest };
        for (let i = 0; i <= OPS_SIGN_IN_LIMIT; i++) {
          const refused = await handleOpsSessionGet(new Request(`${URL_}?token=guess-${i}`, { headers }), db);
          expect(refused.status).toBe(403);
          expect((await refused.json()).error).toMatch(/opened as a page/);
        }
        // Not even the right token signs in that way (a page could not tell it worked, but it is not a sign-in).
        const right = await handleOpsSessionGet(new Request(`${URL_}?token=${TOKEN}`, { headers }), db);
        expect(sessionCookie(right)).toBeNull();
      }
    // The visitor then signs in from the link opened as a page, typed, or followed from another site.
    for (const site of ['none', 'cross-site']) {
      const headers = { ...from, 'sec-fetch-site': site, 'sec-fetch-dest': 'document' };
      const opened = await handleOpsSessionGet(new Request(`${URL_}?token=${TOKEN}`, { headers }), db);
      expect(opened.headers.get('location')).toBe('/ops');
      expect(sessionCookie(opened)).not.toBeNull();
    }
  });

  it('answers a JSON 503 with Retry-After, not a bare 500, while the database does not answer', async () => {
    // Every use of the database fails as a pool that cannot connect does (lib/db/unavailable.ts).
    const down = new Proxy({} as DB, {
      get: () => {
        throw new DatabaseUnavailableError('the database is not answering');
      },
    });
    const link = await handleOpsSessionGet(new Request(`${URL_}?token=${TOKEN}`), down);
    const signIn = await handleOpsSessionPost(form({ token: TOKEN }), down);
    for (const answer of [link, signIn]) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).not.toBeNull();
      expect(await answer.json()).toMatchObject({ error: expect.any(String) });
    }
  });

  it('a request with no token is sent to the sign-in page and counts nothing', async () => {
    const from = { 'x-forwarded-for': '203.0.113.11' };
    for (let i = 0; i <= OPS_SIGN_IN_LIMIT; i++) {
      const bare = await handleOpsSessionGet(new Request(`${URL_}?next=%2Fops%2Foutbox`, { headers: from }), db);
      expect(bare.headers.get('location')).toBe('/ops/login?next=%2Fops%2Foutbox');
      const empty = await handleOpsSessionPost(form({ token: '  ' }, { ...from, 'sec-fetch-site': 'same-origin' }), db);
      expect(empty.headers.get('location')).toBe('/ops/login');
    }
    const right = await handleOpsSessionGet(new Request(`${URL_}?token=${TOKEN}`, { headers: from }), db);
    expect(right.headers.get('location')).toBe('/ops');
    expect(sessionCookie(right)).not.toBeNull();
  });

  it('counts wrong tokens from a client that sends no Sec-Fetch headers, as before', async () => {
    const from = { 'x-forwarded-for': '203.0.113.10' };
    for (let i = 0; i < OPS_SIGN_IN_LIMIT; i++)
      await handleOpsSessionGet(new Request(`${URL_}?token=guess-${i}`, { headers: from }), db);
    const locked = await handleOpsSessionGet(new Request(`${URL_}?token=${TOKEN}`, { headers: from }), db);
    expect(locked.headers.get('location')).toMatch(/error=locked/);
  });
});

describe('the same-origin check on console changes', () => {
  const post = (headers: Record<string, string>) =>
    new Request('http://127.0.0.1:3000/api/ops/clock', { method: 'POST', headers });

  it('accepts only same-origin pages: another port of the same host is same-site, and refused', () => {
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'same-site', origin: 'http://127.0.0.1:3001' }))).toBe(false);
    expect(isSameOriginRequest(post({ 'sec-fetch-site': 'cross-site' }))).toBe(false);
  });

  it('without Sec-Fetch-Site, wants an Origin that is this app', () => {
    expect(isSameOriginRequest(post({ origin: 'http://127.0.0.1:3000' }))).toBe(true);
    expect(isSameOriginRequest(post({ origin: 'http://shop.test' }))).toBe(true);
    expect(isSameOriginRequest(post({ origin: 'http://127.0.0.1:3001' }))).toBe(false);
    expect(isSameOriginRequest(post({}))).toBe(false);
  });

  it('guards sign-in and sign-out too', async () => {
    const refused = await handleOpsSessionPost(form({ token: TOKEN }, { 'sec-fetch-site': 'same-site' }), db);
    expect(refused.status).toBe(403);
    expect(sessionCookie(refused)).toBeNull();
  });
});

describe('opsRoute', () => {
  it('refuses a NUL character in the path or the query with a 400, before any query runs', async () => {
    const handler = vi.fn(async () => ({ people: [], next_cursor: null }));
    const route = opsRoute(peopleResponse, handler);
    for (const url of ['http://127.0.0.1/api/ops/people?q=a%00b', 'http://127.0.0.1/api/ops/people/cus_%00']) {
      const response = await route(new Request(url, { headers: { authorization: 'Bearer ops-token-for-tests' } }), {
        params: Promise.resolve({}),
      });
      expect(response.status).toBe(400);
      expect(opsErrorResponse.parse(await response.json())).toEqual({
        error: 'The URL must not contain NUL characters (%00)',
      });
    }
    expect(handler).not.toHaveBeenCalled();
  });
});
