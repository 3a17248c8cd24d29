import fs from 'node:fs';
import path from 'node:path';
import { type APIRequestContext } from '@playwright/test';
import { expect, test } from './support/test';

/**
 * Every ops API route and console page, found from the files under app/ (so a new one is checked the day it is
 * added), refuses a visitor without the ops token. Asserted on behaviour only: 401 for the API, the sign-in page for
 * the console, whatever the session is made of.
 */
const ROOT = path.resolve(__dirname, '../..');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
// The sign-in itself: public by design, it trades a token for a session (checked below).
const PUBLIC_ROUTES = new Set(['/api/ops/session']);
const PUBLIC_PAGES = new Set(['/ops/login']);

function filesNamed(dir: string, name: RegExp): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => name.test(path.basename(f)))
    .map((f) => path.join(dir, f));
}

/** app/api/ops/people/[id]/route.ts → /api/ops/people/sample-id (route groups dropped, segments filled in). */
function urlOf(file: string): string {
  const segments = path
    .dirname(file)
    .split(path.sep)
    .slice(1) // app
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => (/^\[/.test(s) ? 'sample-id' : s));
  return `/${segments.join('/')}`;
}

const routes = filesNamed('app/api/ops', /^route\.tsx?$/).flatMap((file) => {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const exported = METHODS.filter((m) =>
    new RegExp(`export\\s+(?:const|(?:async\\s+)?function)\\s+${m}\\b`).test(source),
  );
  return exported.map((method) => ({ method, url: urlOf(file) }));
});
const pages = filesNamed('app/ops', /^page\.tsx?$/).map(urlOf);

test('the enumeration finds the ops routes and pages', () => {
  // A guard against a test that checks nothing because the walk found nothing.
  expect(routes).toContainEqual({ method: 'GET', url: '/api/ops/people/sample-id/timeline' });
  expect(routes).toContainEqual({ method: 'POST', url: '/api/ops/clock' });
  expect(pages).toContain('/ops/segments/sample-id');
  expect(pages).toContain('/ops');
});

test('every ops API route answers 401 without the token and with a wrong one', async ({ request }) => {
  const guarded = routes.filter((r) => !PUBLIC_ROUTES.has(r.url));
  expect(guarded.length).toBeGreaterThan(10);
  for (const { method, url } of guarded) {
    for (const headers of [{}, { Authorization: 'Bearer wrong-ops-token-0123456789' }] as Record<string, string>[]) {
      const res = await request.fetch(url, {
        method,
        headers,
        data: method === 'GET' ? undefined : {},
        maxRedirects: 0,
      });
      expect(res.status(), `${method} ${url} ${JSON.stringify(headers)}`).toBe(401);
      expect((await res.json()).error, `${method} ${url}`).toMatch(/ops token/);
    }
  }
});

test('the sign-in route refuses a missing or wrong token with the sign-in page, and sets no session', async ({
  request,
}) => {
  for (const query of ['', '?token=wrong-ops-token-0123456789']) {
    const res = await request.get(`/api/ops/session${query}`, { maxRedirects: 0 });
    expect(res.status()).toBe(303);
    expect(res.headers().location).toBe('/ops/login?error=invalid');
    expect(res.headers()['set-cookie'] ?? '').toBe('');
  }
  // As the console's own sign-in form posts it (cookie-authenticated console POSTs must be same-origin).
  const wrong = await request.post('/api/ops/session', {
    headers: { 'sec-fetch-site': 'same-origin' },
    form: { token: 'wrong-ops-token-0123456789' },
    maxRedirects: 0,
  });
  expect(wrong.headers().location).toBe('/ops/login?error=invalid');
  expect(wrong.headers()['set-cookie'] ?? '').toBe('');
});

const guardedPages = pages.filter((p) => !PUBLIC_PAGES.has(p));
const attempts: { name: string; headers: Record<string, string>; query: string }[] = [
  { name: 'no cookie', headers: {}, query: '' },
  { name: 'a wrong bearer token', headers: { Authorization: 'Bearer wrong-ops-token-0123456789' }, query: '' },
  { name: 'a wrong ?token', headers: {}, query: '?token=wrong-ops-token-0123456789' },
];
const REFRESH = /<meta[^>]*http-equiv="refresh"[^>]*content="\d+;\s*url=([^"]+)"/i;

/**
 * Where a browser ends up: HTTP redirects, and the refresh a streamed page uses to redirect once its status is sent
 * (the console's lists stream behind app/ops/(console)/loading.tsx). Returns the last page's path and status.
 */
async function landing(request: APIRequestContext, url: string, headers: Record<string, string>) {
  for (let hops = 0; hops < 5; hops++) {
    const res = await request.get(url, { headers: { Accept: 'text/html', ...headers }, maxRedirects: 0 });
    const next =
      res.status() >= 300 && res.status() < 400 ? res.headers().location : REFRESH.exec(await res.text())?.[1];
    if (!next) return { path: url, status: res.status(), cookies: res.headers()['set-cookie'] ?? '' };
    url = next.replaceAll('&amp;', '&');
  }
  throw new Error(`${url}: more than 5 redirects`);
}

test('every console page sends a visitor without a session, or with a wrong token, to the sign-in page', async ({
  request,
}) => {
  expect(guardedPages.length).toBeGreaterThan(5);
  for (const url of guardedPages) {
    for (const { name, headers, query } of attempts) {
      const end = await landing(request, `${url}${query}`, headers);
      expect(end.path, `${url}${query} with ${name}`).toMatch(/^\/ops\/login(\?|$)/);
      expect(end.status).toBe(200);
    }
  }
});

test('in a browser, the console without a session shows the sign-in form and hands out no session', async ({
  page,
  context,
}) => {
  await page.goto('/ops/people/sample-id');
  await expect(page).toHaveURL(/\/ops\/login$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ops console');
  expect((await context.cookies()).filter((c) => c.httpOnly)).toEqual([]);
});
