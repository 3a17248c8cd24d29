import { NextRequest } from 'next/server';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, type DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { consoleReturnPath, OPS_COOKIE, opsToken } from '@/lib/cdp/ops/console-access';
import { handleOpsSessionGet, handleOpsSessionPost } from '@/lib/cdp/ops/session-route';
import { createOpsSession } from '@/lib/cdp/store/ops-sessions';
import { config, proxy } from '@/proxy';
import { freshDatabaseUrl } from '../support/database';

// proxy.ts's decision for console pages, through proxy() itself on a database of its own: a live session passes,
// anything else is a 303 to the sign-in page with the wanted page in `next`, before any page renders.
const saved = { ...process.env };
let db: DB;
beforeAll(async () => {
  Object.assign(process.env, {
    DATABASE_URL: await freshDatabaseUrl(),
    OPS_TOKEN: 'ops-token-for-tests',
    APP_SECRET: 'app-secret-for-unit-tests',
    APP_URL: 'http://shop.test',
  });
  resetEnvCache();
  db = await getDb();
});
afterAll(() => {
  process.env = { ...saved };
  resetEnvCache();
});

const HOUR = 3_600_000;
type Init = { method?: string; headers?: Record<string, string>; body?: string };
const page = (path: string, cookie?: string, init: Init = {}) =>
  proxy(
    new NextRequest(`http://shop.test${path}`, {
      method: init.method ?? 'GET',
      body: init.body,
      headers: { ...init.headers, ...(cookie !== undefined && { cookie: `theme=dark; ${OPS_COOKIE}=${cookie}` }) },
    }),
  );
/** The redirect's target as a path (Next.js itself makes the same-host Location relative). */
const target = (response: Response) => {
  const location = response.headers.get('location');
  if (location === null) return null;
  const url = new URL(location);
  expect(url.origin).toBe('http://shop.test');
  return url.pathname + url.search;
};
const passes = (response: Response) => {
  expect(response.status).toBe(200);
  expect(response.headers.get('x-middleware-next')).toBe('1');
  expect(response.headers.get('location')).toBeNull();
};
const sentToSignIn = (response: Response, next: string | null) => {
  expect(response.status).toBe(303);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(target(response)).toBe(next === null ? '/ops/login' : `/ops/login?next=${encodeURIComponent(next)}`);
};
const signInForm = (fields: Record<string, string>, cookie?: string) =>
  new Request('http://shop.test/api/ops/session', {
    method: 'POST',
    headers: { 'sec-fetch-site': 'same-origin', ...(cookie && { cookie: `${OPS_COOKIE}=${cookie}` }) },
    body: new URLSearchParams(fields),
  });

describe('the proxy in front of the console', () => {
  it('sees every console page request (the matcher), sign-in included', () => {
    for (const url of ['/ops', '/ops/outbox', '/ops/people/cus_1', '/ops/login'])
      expect(unstable_doesMiddlewareMatch({ config, url }), url).toBe(true);
  });

  it('lets a live session through to every console page', async () => {
    const session = await createOpsSession(db, opsToken(), HOUR);
    for (const path of ['/ops', '/ops/outbox?cursor=abc', '/ops/people/cus_1', '/ops/anonymous/a%20b'])
      passes(await page(path, session));
  });

  it('sends a visitor without a session to sign in, keeping the page and its query in `next`', async () => {
    sentToSignIn(await page('/ops'), null);
    sentToSignIn(await page('/ops/people/cus_1'), '/ops/people/cus_1');
    sentToSignIn(await page('/ops/outbox?journey=cart&cursor=x%2By'), '/ops/outbox?journey=cart&cursor=x%2By');
    sentToSignIn(await page('/ops/people/a%2Fb'), '/ops/people/a%2Fb');
    // However the request is made: HEAD, a server action, a client-side navigation's RSC fetch, an encoded path.
    sentToSignIn(await page('/ops/funnel', undefined, { method: 'HEAD' }), '/ops/funnel');
    sentToSignIn(await page('/ops/funnel', undefined, { headers: { rsc: '1' } }), '/ops/funnel');
    const action = { method: 'POST', headers: { 'next-action': 'abc', 'content-type': 'text/plain' }, body: '[]' };
    sentToSignIn(await page('/ops/quality', undefined, action), '/ops/quality');
    sentToSignIn(await page('/%6Fps/quality'), null);
  });

  it('refuses an expired, forged, malformed or other-token session the same way', async () => {
    const expired = await createOpsSession(db, opsToken(), HOUR, new Date(Date.now() - 2 * HOUR));
    const live = await createOpsSession(db, opsToken(), HOUR);
    const forged = `${live.slice(0, -1)}${live.endsWith('A') ? 'B' : 'A'}`;
    const otherToken = await createOpsSession(db, 'the-previous-ops-token', HOUR);
    for (const cookie of [expired, forged, otherToken, opsToken(), '', '%ZZ', 'x'.repeat(43), `${live}x`])
      sentToSignIn(await page('/ops/segments', cookie), '/ops/segments');
  });

  it('ends a session left unused for an hour, before its expiry; a use moves the hour on', async () => {
    const WEEK = 7 * 24 * HOUR;
    const signedIn = async (minutesAgo: number) => {
      const at = new Date(Date.now() - minutesAgo * 60_000);
      return { session: await createOpsSession(db, opsToken(), WEEK, at), at: at.toISOString() };
    };
    const lastSeen = async (createdAt: string) =>
      (
        await db
          .selectFrom('ops_sessions')
          .select('last_seen_at')
          .where('created_at', '=', createdAt)
          .executeTakeFirst()
      )?.last_seen_at;

    // Signed in 61 minutes ago, valid for a week, unused since: ended, and its row is gone.
    const idle = await signedIn(61);
    sentToSignIn(await page('/ops/people', idle.session), '/ops/people');
    expect(await lastSeen(idle.at)).toBeUndefined();
    // Signed in 59 minutes ago: live, and this use is recorded.
    const inUse = await signedIn(59);
    passes(await page('/ops/people', inUse.session));
    expect(Date.now() - Date.parse((await lastSeen(inUse.at))!)).toBeLessThan(60_000);
    // Sessions from before the rule (no use recorded) count from their sign-in.
    const [recent, stale] = [await signedIn(30), await signedIn(120)];
    await db
      .updateTable('ops_sessions')
      .set({ last_seen_at: null })
      .where('created_at', 'in', [recent.at, stale.at])
      .execute();
    passes(await page('/ops/people', recent.session));
    sentToSignIn(await page('/ops/people', stale.session), '/ops/people');
  });

  it('refuses a session after sign-out, wherever a copy of its cookie is', async () => {
    const signedIn = await handleOpsSessionPost(signInForm({ token: 'ops-token-for-tests' }), db);
    const session = /glowlab_ops=([^;]+)/.exec(signedIn.headers.get('set-cookie')!)![1];
    passes(await page('/ops/journeys', session));
    await handleOpsSessionPost(signInForm({ intent: 'logout' }, session), db);
    sentToSignIn(await page('/ops/journeys', session), '/ops/journeys');
  });

  it('leaves sign-in open, and the storefront alone', async () => {
    passes(await page('/ops/login'));
    passes(await page('/ops/login?next=%2Fops%2Foutbox&error=invalid'));
    passes(await page('/'));
    passes(await page('/operations'));
  });

  it('trades ?token= on any console page for a session, the token kept out of `next`', async () => {
    const to = (r: Response) => (expect(r.status).toBe(303), target(r));
    expect(to(await page('/ops?token=t%2B1'))).toBe('/api/ops/session?token=t%2B1');
    expect(to(await page('/ops/outbox?token=abc&journey=cart'))).toBe(
      `/api/ops/session?token=abc&next=${encodeURIComponent('/ops/outbox?journey=cart')}`,
    );
  });
});

describe('the page to return to after sign-in', () => {
  it('is a console page of this site, or the console', () => {
    expect(consoleReturnPath('/ops/people/cus_1?tab=events')).toBe('/ops/people/cus_1?tab=events');
    expect(consoleReturnPath('/ops')).toBe('/ops');
    expect(consoleReturnPath('/ops/outbox?token=secret&journey=cart')).toBe('/ops/outbox?journey=cart');
    for (const hostile of [
      '//evil.com',
      '//evil.com/ops',
      'https://evil.com',
      'https://evil.com/ops',
      '/\\evil.com',
      '/\\evil.com/ops',
      '/\t/evil.com/ops',
      'javascript:alert(1)',
      '/ops/../../evil',
      '/ops@evil.com',
      '/opsx',
      '/account',
      '/ops/login',
      '/ops/login?next=//evil.com',
      '',
      undefined,
      ['/ops/outbox'],
    ])
      expect(consoleReturnPath(hostile), String(hostile)).toBe('/ops');
  });

  it('is where the sign-in goes, by form or by link; a wrong token keeps it', async () => {
    const post = async (fields: Record<string, string>) =>
      (await handleOpsSessionPost(signInForm(fields), db)).headers.get('location');
    expect(await post({ token: 'ops-token-for-tests', next: '/ops/people/cus_1' })).toBe('/ops/people/cus_1');
    for (const next of ['//evil.com', 'https://evil.com', '/\\evil.com'])
      expect(await post({ token: 'ops-token-for-tests', next })).toBe('/ops');
    expect(await post({ token: 'wrong', next: '/ops/outbox?journey=cart' })).toBe(
      `/ops/login?error=invalid&next=${encodeURIComponent('/ops/outbox?journey=cart')}`,
    );
    const link = await handleOpsSessionGet(
      new Request('http://shop.test/api/ops/session?token=ops-token-for-tests&next=%2Fops%2Ffunnel'),
      db,
    );
    expect(link.headers.get('location')).toBe('/ops/funnel');
  });
});
