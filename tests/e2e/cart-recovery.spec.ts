import { type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expect, test } from './support/test';
import { anonymousResponse, outboxResponse, timelineResponse } from '@/lib/cdp/ops/contract';
import { BUNDLE, createAccount } from '../../scripts/demo-scenario.mjs';
import { logIn } from './support/accounts';
import { address, fillCheckout, placeOrder, queryProjectDb, rerunOnPostgres, uniqueEmail } from './support/shop';
import { planProperties } from './support/plan-fixtures';
import { abandonCart, members, ops, personIdOf, personOf, runsOf, opsPerTest } from './support/recovery';
import { acceptConsent, anonymousIdCookie, shopperContext } from './support/tracking';
import { watchCsp } from './support/test';

/** A product of another collection than the bundle's (a cleanser): the second line of a cart. */
const OTHER = { handle: 'gentle-gel-cleanser', sku: /^GL-CLN-GEL-/ };

// The demo's cart-recovery story on the real pipeline: browser SDK events, identify on signup, the journey
// runner on a manual clock, the outbox and the restore link. Assertions go through /api/ops, every answer
// parsed with its schema in lib/cdp/ops/contract.ts.
// The `postgres` project runs the demo again on two instances.
rerunOnPostgres();
opsPerTest();

async function signUp(context: BrowserContext, email: string): Promise<string> {
  await createAccount(await context.newPage(), { name: 'Ada Lovelace', email, password: 'correct horse battery' });
  await expect.poll(() => personIdOf(email)).toBeTruthy();
  return (await personIdOf(email))!;
}

/** A shopper who abandoned a cart and signed up: her lookback recovery run waits for its hour. */
async function waitingForRecovery(browser: Browser, baseURL: string, who: string) {
  const context = await shopperContext(browser, baseURL);
  await abandonCart(context);
  const email = uniqueEmail(who);
  const personId = await signUp(context, email);
  await ops.runJourneys();
  expect(await runsOf(personId)).toMatchObject({ 'cart-recovery-lookback': { status: 'waiting' } });
  return { context, email, personId };
}

test('the demo: lookback sends one email listing the bundle; event-triggered could not send; hold would have', async ({
  browser,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const anonymousId = await abandonCart(context);
  await ops.runJourneys();
  // The anonymous profile entered the event-triggered journey at the add and failed there: no email.
  expect(await runsOf(anonymousId)).toMatchObject({
    'cart-recovery-event': { status: 'failed', reason: 'no_email', shadow: true },
    'cart-recovery-hold': { status: 'held', shadow: true },
  });

  await ops.advanceClock('3h');
  const email = uniqueEmail('ada');
  const personId = await signUp(context, email);
  await ops.runJourneys();
  await ops.advanceClock('1h');

  const { messages } = await ops.get(`outbox?to=${encodeURIComponent(email)}`, outboxResponse);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ journey_id: 'cart-recovery-lookback', to: email });
  // The person's console page lists the person's runs and the message (the token in the URL signs the console in).
  const opsPage = await browser.newPage({ baseURL });
  await opsPage.goto(`/ops?token=${encodeURIComponent(process.env.E2E_OPS_TOKEN!)}`);
  await expect(opsPage).toHaveURL(/\/ops$/);
  await opsPage.goto(`/ops/people/${encodeURIComponent(personId)}`);
  await expect(opsPage.getByRole('region', { name: 'Messages', exact: true })).toContainText(messages[0]!.subject);
  await expect(opsPage.getByRole('region', { name: 'Journey runs', exact: true })).toContainText(
    'cart-recovery-lookback',
  );
  await opsPage.close();
  expect(messages[0]!.html).toContain(BUNDLE.name);
  expect(await runsOf(personId)).toMatchObject({
    'cart-recovery-lookback': { status: 'sent', shadow: false },
    'cart-recovery-event': { status: 'failed', reason: 'no_email', shadow: true },
    'cart-recovery-hold': { status: 'sent', shadow: true },
  });
  expect((await ops.get('outbox?journey=cart-recovery-hold', outboxResponse)).messages).toEqual([]);
  await context.close();

  // The email's link on another device: a fresh context rebuilds the exact cart and tracks Cart Restored.
  const laptop = await shopperContext(browser, baseURL!);
  const page = await laptop.newPage();
  await page.goto(messages[0]!.restore_url!);
  await expect(page.getByRole('region', { name: 'Saved cart' })).toContainText(BUNDLE.name);
  await page.getByRole('button', { name: 'Restore this cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  const cart = page.getByRole('list', { name: 'Cart items' });
  await expect(cart.getByRole('listitem')).toHaveCount(1);
  await expect(cart).toContainText(BUNDLE.name);
  const laptopId = (await anonymousIdCookie(laptop))!;
  await expect
    .poll(async () => {
      const { events } = await ops.get(`anonymous/${laptopId}`, anonymousResponse);
      const items = events.find((e) => e.name === 'Cart Restored')?.properties.items as { sku: string }[] | undefined;
      return items?.map((i) => i.sku);
    })
    .toEqual([BUNDLE.sku]);

  // And its unsubscribe link: one click, recorded by the shop's server with the server key, so the pipeline applies
  // it (an identify sent with the public browser key would be held back as unverified and change nothing).
  const unsubscribeUrl = /href="([^"]*\/unsubscribe\/[^"]+)"/.exec(messages[0]!.html)?.[1];
  expect(unsubscribeUrl).toBeTruthy();
  expect((await page.goto(unsubscribeUrl!))?.status()).toBe(200);
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(page.getByRole('status')).toContainText('You are unsubscribed');
  await expect.poll(async () => (await personOf(personId)).traits.unsubscribed).toBe(true);
  // The link keeps working, and pressing again changes nothing: the person stays unsubscribed.
  expect((await page.goto(unsubscribeUrl!))?.status()).toBe(200);
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(page.getByRole('status')).toContainText('You are unsubscribed');
  expect((await personOf(personId)).traits.unsubscribed).toBe(true);
  // A link the pipeline never signed (one character changed) is no link: 404, a page that says so, no button.
  const signature = unsubscribeUrl!.length - 5;
  const forged =
    unsubscribeUrl!.slice(0, signature) +
    (unsubscribeUrl![signature] === 'A' ? 'B' : 'A') +
    unsubscribeUrl!.slice(signature + 1);
  expect((await page.goto(forged))?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'This unsubscribe link is not valid' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unsubscribe' })).toHaveCount(0);
  const { events } = await ops.get(`people/${personId}/timeline?limit=1000`, timelineResponse);
  expect(events.flatMap((e) => e.violations.map((v) => v.kind))).not.toContain('unverified_identity');
  await laptop.close();
});

test('an internationalised address, typed in capitals and decomposed, is one shopper from signup to the outbox', async ({
  browser,
  baseURL,
}) => {
  const tag = uniqueEmail('t').split('@')[0];
  const email = `josé.${tag}@bücher.de`; // how the shop and the pipeline keep it: NFC, lower-cased
  const typed = `José.${tag}@Bücher.DE`.normalize('NFD');
  const context = await shopperContext(browser, baseURL!);
  const anonymousId = await abandonCart(context);
  await ops.advanceClock('3h');
  const personId = await signUp(context, typed); // found by the typed spelling: the console's filter normalizes it

  expect(await queryProjectDb('select id, email from customers where email = ?', email)).toEqual([
    { id: personId, email },
  ]);
  expect(await personOf(personId)).toMatchObject({ email, traits: { email }, anonymous_ids: [anonymousId] });
  const { events } = await ops.get(`people/${personId}/timeline?limit=1000`, timelineResponse);
  expect(events.find((e) => e.name === 'Added to Cart')).toMatchObject({ stitched: true, anonymous_id: anonymousId });
  expect(events.flatMap((e) => e.violations.map((v) => v.kind))).toEqual([]);

  await ops.runJourneys();
  await ops.advanceClock('1h');
  await expect
    .poll(async () => {
      await ops.runJourneys();
      return (await ops.get(`outbox?to=${encodeURIComponent(typed)}`, outboxResponse)).messages.length;
    })
    .toBe(1);
  const [message] = (await ops.get(`outbox?to=${encodeURIComponent(email)}`, outboxResponse)).messages;
  expect(message).toMatchObject({ journey_id: 'cart-recovery-lookback', to: email });
  expect(message!.html).toContain(`with ${email}.`);
  expect(message!.text).toContain(`with ${email}.`);
  await context.close();
});

/**
 * A shopper known only by the email they left in the popup (not signed in), on the bundle's page of a new browser;
 * resolves with that page and their person id once the pipeline has them.
 */
async function shopperWhoLeftEmail(browser: Browser, baseURL: string) {
  const context = watchCsp(await browser.newContext({ baseURL }));
  await acceptConsent(context, baseURL);
  await context.addInitScript(() => localStorage.setItem('glowlab-popup-delay-ms', '0'));
  const page = await context.newPage();
  await page.goto(`/products/${BUNDLE.handle}`);
  const email = uniqueEmail('email-only');
  const popup = page.getByRole('dialog', { name: 'Get 10% off your first order' });
  await popup.getByLabel('Email').fill(email);
  await popup.getByRole('button', { name: 'Get my code' }).click();
  await page
    .getByRole('dialog', { name: 'You are on the list' })
    .getByRole('button', { name: 'Continue shopping' })
    .click();
  await expect.poll(() => personIdOf(email)).toBeTruthy();
  return { context, page, personId: (await personIdOf(email))! };
}
const addFirstToCart = (page: Page) =>
  page
    .getByRole('button', { name: /^Add.*to cart$/ })
    .first()
    .click();
type CartTrait = { items?: { sku: string }[]; restore_url?: string } | null | undefined;
const cartTraitOf = async (personId: string) => (await personOf(personId)).traits.cart as CartTrait;
const cartSkusOf = async (personId: string) => (await cartTraitOf(personId))?.items?.map((i) => i.sku);

test('a shopper who only left their email: the server copies of their cart events and the cart attribute are theirs', async ({
  browser,
  baseURL,
}) => {
  // Not signed in: the email popup (no delay) is how this shopper becomes known.
  const { context, page, personId } = await shopperWhoLeftEmail(browser, baseURL!);
  await addFirstToCart(page);
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  // The server's copy is the one the pipeline keeps: it names the customer, not just this browser.
  await expect
    .poll(async () => {
      const { events } = await ops.get(`people/${personId}/timeline?limit=1000`, timelineResponse);
      return events.filter((e) => e.name === 'Added to Cart').map((e) => [e.user_id, e.sources.includes('server')]);
    })
    .toEqual([[personId, true]]);
  // And the cart follows to the person, where a recovery email reads it.
  await expect.poll(() => cartSkusOf(personId)).toEqual([BUNDLE.sku]);
  await context.close();
});

test('a cart restored from its link becomes the known shopper’s cart attribute, like any other cart change', async ({
  browser,
  baseURL,
}) => {
  const { context, page, personId } = await shopperWhoLeftEmail(browser, baseURL!);
  await addFirstToCart(page);
  await expect.poll(() => cartSkusOf(personId)).toEqual([BUNDLE.sku]);
  const savedLink = (await cartTraitOf(personId))!.restore_url!;
  await page.goto(`/products/${OTHER.handle}`);
  await addFirstToCart(page);
  await expect.poll(() => cartSkusOf(personId)).toEqual([BUNDLE.sku, expect.stringMatching(OTHER.sku)]);

  // The link of the earlier cart (as in a recovery email) replaces the cart on this device: the attribute follows.
  await page.goto(savedLink);
  await page.getByRole('button', { name: 'Restore this cart' }).click();
  await expect(page.getByRole('list', { name: 'Cart items' }).getByRole('listitem')).toHaveCount(1);
  await expect.poll(() => cartSkusOf(personId)).toEqual([BUNDLE.sku]);
  // Mirrored by the server, from the signed link: the event names the customer.
  const { events } = await ops.get(`people/${personId}/timeline?limit=1000`, timelineResponse);
  expect(events.filter((e) => e.name === 'Cart Restored').map((e) => [e.user_id, e.sources.toSorted()])).toEqual([
    [personId, ['client', 'server']],
  ]);
  await context.close();
});

test('a restore link lives 7 days on the pipeline clock, which the demo moves: it expires when that clock says so', async ({
  browser,
  baseURL,
}) => {
  const { context, page, personId } = await shopperWhoLeftEmail(browser, baseURL!);
  const restoreButton = page.getByRole('button', { name: 'Restore this cart' });
  await addFirstToCart(page);
  await expect.poll(() => cartSkusOf(personId)).toEqual([BUNDLE.sku]);
  const link = (await cartTraitOf(personId))!.restore_url!;
  await ops.advanceClock('6d23h');
  expect((await page.goto(link))?.status()).toBe(200);
  await expect(restoreButton).toBeVisible();
  await ops.advanceClock('2h');
  // Gone for good: 410, a page that says so and leads back to the shop.
  expect((await page.goto(link))?.status()).toBe(410);
  await expect(page.getByRole('heading', { level: 1, name: 'This cart link has expired' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Shop collections' })).toBeVisible();

  // A link minted now, on the moved clock, lives its 7 days from there (not from the wall clock's now).
  await page.goto(`/products/${OTHER.handle}`);
  await addFirstToCart(page);
  await expect.poll(async () => (await cartSkusOf(personId))?.length).toBe(2);
  await page.goto((await cartTraitOf(personId))!.restore_url!);
  await expect(restoreButton).toBeVisible();
  await context.close();
});

test('segment membership for an anonymous cart appears only after identify', async ({ browser, baseURL }) => {
  const context = await shopperContext(browser, baseURL!);
  const anonymousId = await abandonCart(context);
  expect(await members('cart-abandoners')).not.toContain(anonymousId);
  const personId = await signUp(context, uniqueEmail('segment'));
  expect(await members('cart-abandoners')).toContain(personId);
  await context.close();
});

test('an order placed during the wait exits the journey: no email', async ({ browser, baseURL }) => {
  const { context, email, personId } = await waitingForRecovery(browser, baseURL!, 'buyer');

  await ops.advanceClock('10m');
  const page = await context.newPage();
  await page.goto('/checkout');
  await fillCheckout(page, { ...address(email), email: undefined });
  await placeOrder(page);
  // Order Completed reaches the pipeline from the server shortly after the order page: run until it is seen.
  await expect
    .poll(async () => {
      await ops.runJourneys();
      return (await runsOf(personId))['cart-recovery-lookback'];
    })
    .toMatchObject({ status: 'exited', reason: 'converted' });
  await ops.advanceClock('2h');
  expect((await ops.get(`outbox?to=${encodeURIComponent(email)}`, outboxResponse)).messages).toEqual([]);
  await context.close();
});

test('logging in again from an empty cart (after a logout, or on another device) leaves the cart to recover: the email is sent', async ({
  browser,
  baseURL,
}) => {
  const { context, email, personId } = await waitingForRecovery(browser, baseURL!, 'relogin');
  const page = await context.newPage();
  await page.goto('/account');
  // Logout empties this browser's cart without a cart event; the person's `cart` attribute stays theirs. The logins
  // that follow, here and on a second device, hand over no cart: they say nothing of the one left, which stays.
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await logIn(page, email);
  await expect(page).toHaveURL(/\/account$/);
  const otherDevice = await shopperContext(browser, baseURL!);
  const phone = await otherDevice.newPage();
  await logIn(phone, email);
  await expect(phone).toHaveURL(/\/account$/);
  // Each login's identify is stored before its action answers, so before its browser's Logged In.
  const loggedIn = async () =>
    (await ops.get(`people/${personId}/timeline?limit=1000`, timelineResponse)).events.filter(
      (e) => e.name === 'Logged In',
    );
  await expect.poll(async () => (await loggedIn()).length).toBe(2);
  expect((await personOf(personId)).traits.cart).toMatchObject({ items: expect.arrayContaining([expect.anything()]) });

  await ops.advanceClock('5h');
  expect(await runsOf(personId)).toMatchObject({ 'cart-recovery-lookback': { status: 'sent', shadow: false } });
  const { messages } = await ops.get(`outbox?to=${encodeURIComponent(email)}`, outboxResponse);
  expect(messages).toHaveLength(1);
  expect(messages[0]!.html).toContain(BUNDLE.name);
  await otherDevice.close();
  await context.close();
});

test("an Order Completed forged with the public key for a shopper's id neither ends her run nor stops the email", async ({
  browser,
  baseURL,
  request,
}) => {
  const { context, email, personId } = await waitingForRecovery(browser, baseURL!, 'forged-order');

  // A stranger who learnt her customer id posts, from their own browser, the call a checkout would send.
  const strangerId = crypto.randomUUID();
  const forged = await request.post('/api/cdp/v1/t', {
    headers: { 'Content-Type': 'text/plain' },
    data: JSON.stringify({
      writeKey: process.env.E2E_WRITE_KEY,
      type: 'track',
      event: 'Order Completed',
      userId: personId,
      anonymousId: strangerId,
      messageId: crypto.randomUUID(),
      properties: planProperties('Order Completed', baseURL!),
      context: { library: { name: 'analytics.js' } },
    }),
  });
  expect(await forged.json()).toMatchObject({ stored: 1, rejected: 0 });
  // Kept, on the stranger's anonymous profile, flagged; never on hers.
  const { events } = await ops.get(`anonymous/${strangerId}`, anonymousResponse);
  expect(events.map((e) => [e.name, e.person_id, e.violations.map((v) => v.kind)])).toEqual([
    ['Order Completed', null, ['unverified_user_id']],
  ]);
  const timeline = await ops.get(`people/${personId}/timeline?limit=1000`, timelineResponse);
  expect(timeline.events.map((e) => e.name)).not.toContain('Order Completed');

  await ops.runJourneys();
  expect(await runsOf(personId)).toMatchObject({ 'cart-recovery-lookback': { status: 'waiting' } });
  await ops.advanceClock('1h');
  await expect
    .poll(async () => {
      await ops.runJourneys();
      return (await ops.get(`outbox?to=${encodeURIComponent(email)}`, outboxResponse)).messages.map(
        (m) => m.journey_id,
      );
    })
    .toEqual(['cart-recovery-lookback']);
  expect(await runsOf(personId)).toMatchObject({ 'cart-recovery-lookback': { status: 'sent' } });
  await context.close();
});

test('a restore link that is not valid shows a clear page', async ({ page }) => {
  expect((await page.goto('/cart/restore/not-a-real-token'))?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'This cart link is not valid' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Shop collections' })).toBeVisible();
});
