import fs from 'node:fs';
import path from 'node:path';
import { type APIRequestContext } from '@playwright/test';
import { expect, test } from './support/test';
import { postStitchedVisitor } from './support/tracking';

/**
 * Every ops API route and console page, found from the files under app/ (so a new one is checked the day it is
 * added), refuses a visitor without the ops token. Asserted on behaviour only: 401 for the API, a redirect to the
 * sign-in page for the console (an HTTP 303 before any page body, never a 200), whatever the session is made of.
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
  // A missing token is no wrong guess: the plain sign-in page (and no attempt counted: tests/unit/cdp/ops-auth.test.ts).
  for (const [query, location] of [
    ['', '/ops/login'],
    ['?token=wrong-ops-token-0123456789', '/ops/login?error=invalid'],
  ]) {
    const res = await request.get(`/api/ops/session${query}`, { maxRedirects: 0 });
    expect(res.status()).toBe(303);
    expect(res.headers().location).toBe(location);
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
const FORGED = 'glowlab_ops=' + 'A'.repeat(43);
const attempts: { name: string; headers: Record<string, string>; query: string }[] = [
  { name: 'no cookie', headers: {}, query: '' },
  { name: 'a wrong bearer token', headers: { Authorization: 'Bearer wrong-ops-token-0123456789' }, query: '' },
  { name: 'a forged session cookie', headers: { Cookie: FORGED }, query: '' },
  { name: 'a malformed session cookie', headers: { Cookie: 'glowlab_ops=%ZZ' }, query: '' },
  { name: 'a wrong ?token', headers: {}, query: '?token=wrong-ops-token-0123456789' },
];
/** The sign-in page, keeping `page` to return to (the console's home is where sign-in goes anyway). */
const signInFor = (page: string) => (page === '/ops' ? '/ops/login' : `/ops/login?next=${encodeURIComponent(page)}`);

/** Every response a client gets from `url` on: each must be an HTTP redirect until the last. */
async function hops(request: APIRequestContext, url: string, headers: Record<string, string>) {
  const seen: { url: string; status: number; location: string | undefined; body: string }[] = [];
  for (let n = 0; n < 5; n++) {
    const res = await request.get(url, { headers: { Accept: 'text/html', ...headers }, maxRedirects: 0 });
    const location = res.headers().location;
    seen.push({ url, status: res.status(), location, body: await res.text() });
    if (!location) return seen;
    url = location;
  }
  throw new Error(`${url}: more than 5 redirects`);
}

test('every console page answers a visitor without a session with a redirect to sign in, before any page body', async ({
  request,
}) => {
  // A real person and device, so the pages by id are ones with data to hide.
  const { userId, email, anonymousId } = await postStitchedVisitor(request);
  const real = (url: string) =>
    url
      .replace('/ops/people/sample-id', `/ops/people/${userId}`)
      .replace('/ops/anonymous/sample-id', `/ops/anonymous/${anonymousId}`);
  expect(guardedPages.length).toBeGreaterThan(5);
  for (const url of guardedPages.map(real)) {
    // A wrong ?token is a sign-in attempt, which counts against this client's limit (OPS_SIGN_IN_LIMIT, shared with
    // the other specs): tried on two pages only.
    const tried = ['/ops', `/ops/people/${userId}`].includes(url) ? attempts : attempts.filter((a) => !a.query);
    for (const { name, headers, query } of tried) {
      const what = `${url}${query} with ${name}`;
      const seen = await hops(request, `${url}${query}`, headers);
      const [first, last] = [seen[0]!, seen.at(-1)!];
      expect(first.status, what).toBe(303);
      expect(first.location, what).toBe(
        query ? `/api/ops/session${query}${url === '/ops' ? '' : `&next=${encodeURIComponent(url)}`}` : signInFor(url),
      );
      expect(last.url, what).toBe(
        query ? `/ops/login?error=invalid${url === '/ops' ? '' : `&next=${encodeURIComponent(url)}`}` : signInFor(url),
      );
      expect(last.status, what).toBe(200);
      // Nothing from the database; an id the address itself holds is echoed back only in `next`.
      for (const { body } of seen)
        for (const secret of [email, userId, anonymousId].filter((s) => !url.includes(s)))
          expect(body, what).not.toContain(secret);
    }
  }
});

test('in a browser, the console without a session shows the sign-in form and hands out no session', async ({
  page,
  context,
}) => {
  await page.goto('/ops/people/sample-id');
  await expect(page).toHaveURL(/\/ops\/login\?next=%2Fops%2Fpeople%2Fsample-id$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ops console');
  expect((await context.cookies()).filter((c) => c.httpOnly)).toEqual([]);
});

test('after signing in, the console opens the page that was asked for, a wrong token first included', async ({
  page,
  request,
}) => {
  const { userId, email } = await postStitchedVisitor(request);
  const wanted = `/ops/people/${encodeURIComponent(userId)}?tab=events`;
  const response = await page.goto(wanted);
  // The browser followed a real redirect: the sign-in page is the only document it got.
  expect(
    await response!
      .request()
      .redirectedFrom()!
      .response()
      .then((r) => r!.status()),
  ).toBe(303);
  await expect(page).toHaveURL(`/ops/login?next=${encodeURIComponent(wanted)}`);
  await page.getByLabel('Ops token').fill('wrong-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That token is not right' })).toBeVisible();
  await page.getByLabel('Ops token').fill(process.env.E2E_OPS_TOKEN!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(wanted);
  await expect(page.getByRole('heading', { name: email })).toBeVisible();

  // A `next` that leaves the console (an open redirect) is dropped: sign-in opens the console's home.
  await page.context().clearCookies();
  await page.goto(`/ops/login?next=${encodeURIComponent('//evil.example/ops')}`);
  await page.getByLabel('Ops token').fill(process.env.E2E_OPS_TOKEN!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/ops$/);
  await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
});

// lib/cdp/ops/session-route.ts's OPS_SIGN_IN_LIMIT: wrong tokens a client may try before sign-in is refused.
const SIGN_IN_LIMIT = 10;

test("another site's images cannot spend the sign-in attempts: the owner still signs in", async ({ page, baseURL }) => {
  // The app is at 127.0.0.1; the same server by the name localhost is another site to the browser (its pages may
  // show images from the app's origin). Before, these images locked the console for 15 minutes.
  const elsewhere = new URL(baseURL!);
  elsewhere.hostname = 'localhost';
  await page.goto(elsewhere.href);
  const loaded = await page.evaluate(
    async ({ app, tries }) =>
      Promise.all(
        Array.from(
          { length: tries },
          (_, i) =>
            new Promise<boolean>((resolve) => {
              const image = new Image();
              image.onload = image.onerror = () => resolve(true);
              image.src = `${app}/ops?token=guess-${i}`;
            }),
        ),
      ),
    { app: new URL(baseURL!).origin, tries: SIGN_IN_LIMIT + 1 },
  );
  expect(loaded).toHaveLength(SIGN_IN_LIMIT + 1);
  // Then the owner, from the same address, opens the sign-in page and signs in.
  await page.goto('/ops/login');
  await page.getByLabel('Ops token').fill(process.env.E2E_OPS_TOKEN!);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/ops$/);
  await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
});
