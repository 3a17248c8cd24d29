import { expect, test, watchCsp } from './support/test';
import { getProductByHandle } from '@/lib/shop/domain/catalog';
import { mintIdentitySignature } from '@/lib/tracking/identity-signature';
import { signUp } from './support/accounts';
import { skipEmailPopup, uniqueEmail } from './support/shop';
import {
  acceptConsent,
  anonymousEvents,
  anonymousIdCookie,
  named,
  names,
  recordIngest,
  shopperContext,
  storedEventCount,
  storedAnonymousId,
  visit,
  waitForPerson,
} from './support/tracking';

const serum = getProductByHandle('vitamin-c-serum')!;

/** The strict-mode test hook (lib/tracking/test-hook.ts): the real, guarded identify. */
type Hook = {
  identify(id: unknown, traits?: object, options?: { signature?: string }): boolean;
  getAnonymousId(): string | null;
};
type HookWindow = Window & { __tracking?: Hook };

test('anonymous id: minted by the server, kept across reloads and browser restarts, shared by client and server events', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const page = await context.newPage();
  const first = await page.goto('/');
  const minted = /ajs_anonymous_id=([0-9a-f-]{36})/.exec((await first!.headerValue('set-cookie')) ?? '')?.[1];
  expect(minted, 'the first page response sets the anonymous id cookie').toBeDefined();
  await expect.poll(() => storedAnonymousId(page), { message: 'the SDK adopts the cookie' }).toBe(minted);

  const reloaded = await page.reload();
  expect(await reloaded!.headerValue('set-cookie')).toContain(`ajs_anonymous_id=${minted}`);
  expect(await storedAnonymousId(page)).toBe(minted);
  const profile = await context.storageState();
  await context.close();

  const restarted = await shopperContext(browser, baseURL!, { storageState: profile });
  const again = await restarted.newPage();
  await again.goto(`/products/${serum.handle}`);
  expect(await anonymousIdCookie(restarted)).toBe(minted);
  await expect.poll(async () => names((await anonymousEvents(request, minted!)).events)).toContain('Product Viewed');

  // Only the server can deliver this Added to Cart: the browser's track calls are blocked.
  await again.route('**/api/cdp/v1/t', (route) => route.abort('blockedbyclient'));
  await again.getByRole('button', { name: 'Add to cart' }).click();
  await expect
    .poll(async () =>
      (await anonymousEvents(request, minted!)).events.filter((e) => e.name === 'Added to Cart').map((e) => e.sources),
    )
    .toEqual([['server']]);
  const { events } = await anonymousEvents(request, minted!);
  expect(events.filter((e) => e.sources.includes('client')).map((e) => e.type)).toContain('page');
  expect(new Set(events.map((e) => e.anonymous_id))).toEqual(new Set([minted]));
  await restarted.close();
});

test('no identify on page load for an anonymous visitor; a signed-in session new to the SDK is identified once', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const page = await context.newPage();
  const ingest = recordIngest(page);
  await visit(page, '/');
  await visit(page, '/collections/serums');
  await visit(page, `/products/${serum.handle}`);
  await visit(page, `/products/${serum.handle}`);
  const anonymousId = (await anonymousIdCookie(context))!;
  await expect
    .poll(async () => names((await anonymousEvents(request, anonymousId)).events).filter((n) => n === 'page').length)
    .toBe(4);
  expect(ingest.types()).toContain('page');
  // The build was made without env vars: this write key reached the browser at run time, from the layout.
  expect(new Set(ingest.calls.map((c) => c.body.writeKey))).toEqual(new Set([process.env.E2E_WRITE_KEY]));
  expect(ingest.types()).not.toContain('identify');
  expect(ingest.calls.filter((c) => c.path.endsWith('/i'))).toEqual([]);
  const visitor = await anonymousEvents(request, anonymousId);
  expect(visitor.person_id).toBeNull();
  expect(visitor.events.filter((e) => e.type === 'identify')).toEqual([]);
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('ajs_user_id') ?? 'null'))).toBeNull();

  // The same account opened on a browser whose SDK never identified (session cookie only, no SDK storage).
  const email = uniqueEmail('session');
  await signUp(page, email);
  await expect(page).toHaveURL(/\/account$/);
  const person = await waitForPerson(request, email);
  const session = (await context.cookies()).filter((c) => !c.name.startsWith('ajs_'));
  const other = watchCsp(await browser.newContext({ baseURL }));
  await other.addCookies(session);
  const otherPage = await other.newPage();
  const otherIngest = recordIngest(otherPage);
  await visit(otherPage, '/account');
  await expect(otherPage.getByRole('heading', { level: 1, name: /Hello/ })).toBeVisible();
  const identified = () => otherIngest.calls.filter((c) => c.path.endsWith('/i')).map((c) => c.body.userId);
  await expect.poll(identified).toEqual([person.id]);
  await visit(otherPage, '/account');
  await visit(otherPage, '/cart');
  expect(identified()).toEqual([person.id]);
  await context.close();
  await other.close();
});

test('the identify guard throws on guest, an email, null or the anonymous id, and sends nothing', async ({
  page,
  baseURL,
  context,
}) => {
  await acceptConsent(context, baseURL!);
  await skipEmailPopup(page);
  const ingest = recordIngest(page);
  await page.goto('/');
  await page.waitForFunction(() => '__tracking' in window);
  const anonymousId = await page.evaluate(() => (window as HookWindow).__tracking!.getAnonymousId());
  expect(anonymousId).toMatch(/^[0-9a-f-]{36}$/);

  const rejected = [
    ['guest', 'placeholder'],
    ['shopper@example.test', 'email'],
    [null, 'not_a_string'],
    [anonymousId, 'anonymous_id'],
  ] as const;
  for (const [bad, reason] of rejected) {
    const outcome = await page.evaluate((id) => {
      try {
        return (window as HookWindow).__tracking!.identify(id) ? 'sent' : 'skipped';
      } catch (error) {
        return `${(error as Error).name}: ${(error as { reason?: string }).reason}`;
      }
    }, bad);
    expect(outcome, JSON.stringify(bad)).toBe(`IdentityGuardError: ${reason}`);
  }

  // Control: a canonical id goes through, so the silence above was the guard, not a dead hook.
  // (Signed as the shop's server would sign it, so the pipeline takes it like any real identify.)
  const control = `cus_${'e2eGuardControl'}${Date.now()}`;
  const signature = await mintIdentitySignature(process.env.E2E_SERVER_WRITE_KEY!, { userId: control, anonymousId });
  expect(
    await page.evaluate(([id, sig]) => (window as HookWindow).__tracking!.identify(id, {}, { signature: sig }), [
      control,
      signature,
    ] as const),
  ).toBe(true);
  await expect
    .poll(() => ingest.calls.filter((c) => c.path.endsWith('/i')).map((c) => c.body.userId))
    .toEqual([control]);
});

test('opt-in consent: no ajs_* cookie and no ingest request before Accept; events flow after it', async ({
  browser,
  request,
}) => {
  const optIn = `http://127.0.0.1:${process.env.E2E_OPTIN_PORT}`;
  const context = await shopperContext(browser, optIn, { consent: false });
  const page = await context.newPage();
  const ingest = recordIngest(page);
  // The cookies each ingest request carried: one sent before Accept has no `glowlab_consent=granted`.
  const sentCookies: Promise<{ path: string; cookie: string }>[] = [];
  context.on('request', (req) => {
    const { pathname } = new URL(req.url());
    if (pathname.startsWith('/api/cdp/v1/'))
      sentCookies.push(req.allHeaders().then((h) => ({ path: pathname, cookie: h.cookie ?? '' })));
  });
  // Server actions (a POST with Next-Action) before Accept: the mirrors of events the server would refuse to store.
  let accepted = false;
  const actionsBeforeAccept: string[] = [];
  context.on('request', (req) => {
    if (!accepted && req.method() === 'POST' && req.headers()['next-action']) actionsBeforeAccept.push(req.url());
  });
  const storedCount = () => storedEventCount(request, optIn);
  const storedBefore = await storedCount();
  // What each page found handed on from the one before (lib/tracking/carry-over.ts): nothing, before Accept.
  await page.addInitScript(() => {
    Object.assign(window, { carried: sessionStorage.getItem('glowlab_unsent_calls') });
  });

  await page.goto(`/products/${serum.handle}`);
  const banner = page.getByRole('region', { name: 'Privacy choices' });
  await expect(banner).toContainText('Nothing is collected until you accept');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await page.goto('/collections/serums');
  await expect(page.getByRole('heading', { level: 1, name: 'Serums' })).toBeVisible();
  // The provider publishes the strict-mode hook after deciding whether to start the SDK, and the SDK starts at
  // the browser's next idle moment: wait until past it, so the storage checks come when a leak would show.
  await page.waitForFunction(() => '__tracking' in window);
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 })));
  expect((await context.cookies()).filter((c) => c.name.startsWith('ajs_'))).toEqual([]);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ajs_')))).toEqual([]);
  expect(await page.evaluate(() => (window as { carried?: string | null }).carried)).toBeNull();

  // Product Viewed and Added to Cart were not mirrored: the browser asked the server nothing before consent.
  expect(actionsBeforeAccept).toEqual([]);
  accepted = true;

  await banner.getByRole('button', { name: 'Accept' }).click();
  await expect(banner).toBeHidden();
  await expect.poll(() => anonymousIdCookie(context)).toMatch(/^[0-9a-f-]{36}$/);
  const anonymousId = (await anonymousIdCookie(context))!;
  const stored = async () => (await anonymousEvents(request, anonymousId, optIn)).events;
  // The page call and Collection Viewed made before Accept waited in memory and are sent now.
  await expect.poll(async () => names(await stored()).toSorted()).toEqual(['Collection Viewed', 'page']);
  await page.goto(`/products/${serum.handle}`);
  await expect.poll(async () => names(await stored())).toContain('Product Viewed');
  // A marker on both paths: this add to cart is tracked by the browser and mirrored by the server action,
  // each queued behind anything the same path had sent before.
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect
    .poll(async () => named(await stored(), 'Added to Cart').map((e) => e.sources.toSorted()))
    .toEqual([['client', 'server']]);

  // Now that both paths delivered, the absence is an answer: the browser sent nothing before Accept, the add to
  // cart made before it reached the pipeline from neither side, and the server stored no event but this visitor's.
  const sent = await Promise.all(sentCookies);
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.filter((r) => !/(?:^|;\s*)glowlab_consent=granted(?:;|$)/.test(r.cookie))).toEqual([]);
  expect(ingest.calls).toHaveLength(sent.length);
  const events = await stored();
  expect(named(events, 'Added to Cart')).toHaveLength(1);
  expect(await storedCount()).toBe(storedBefore + events.length);
  await context.close();
});
