import type { Browser } from '@playwright/test';
import { expect, test } from './support/test';
import { anonymousResponse, outboxResponse, timelineResponse } from '@/lib/cdp/ops/contract';
import { BUNDLE } from '../../scripts/demo-scenario.mjs';
import { address, fillCheckout, placeOrder, uniqueEmail } from './support/shop';
import { abandonCart, ops, personIdOf, personOf, runsOf, opsPerTest } from './support/recovery';
import { anonymousIdCookie, shopperContext } from './support/tracking';

// A checkout email corrected after it was left (a typo noticed): the cart and the browsing before it, and the recovery
// email for that cart, belong to the address typed last, never the mistyped one (lib/shop/server/tracking.ts
// `freshBrowserIdFor`). Cart recovery on the real pipeline, as cart-recovery.spec.ts drives it.
opsPerTest();

/**
 * A shopper at checkout with an abandoned cart, an address and its typo; `leave(address)` types it into the Email
 * field and moves on, which is when the shop is told the address (the abandoned checkout stays recoverable).
 */
async function atCheckoutWithTypo(browser: Browser, baseURL: string, who: string) {
  const context = await shopperContext(browser, baseURL);
  await abandonCart(context);
  const page = await context.newPage();
  await page.goto('/checkout');
  const email = uniqueEmail(who);
  const typo = email.replace('@example.test', '@exmaple.test');
  const leave = async (typed: string) => {
    await page.getByLabel('Email').fill(typed);
    await page.getByLabel('Full name').focus();
  };
  return { context, page, email, typo, leave };
}

test('an email corrected at checkout: the recovery goes to the corrected address, never the mistyped one', async ({
  browser,
  baseURL,
}) => {
  const { context, email, typo, leave } = await atCheckoutWithTypo(browser, baseURL!, 'corrected');
  await leave(typo);
  await expect.poll(() => personIdOf(typo)).toBeTruthy();
  const typoId = (await personIdOf(typo))!;
  // A pass runs in between (the minute job): the mistyped address's recovery is on its way.
  await ops.runJourneys();
  expect(await runsOf(typoId)).toMatchObject({ 'cart-recovery-lookback': { status: 'waiting' } });

  await leave(email);
  await expect.poll(() => personIdOf(email)).toBeTruthy();
  const personId = (await personIdOf(email))!;
  // The cart and the browsing before it are the corrected address's; the mistyped one keeps only what it was told.
  await expect
    .poll(async () =>
      (await ops.get(`people/${personId}/timeline?limit=1000`, timelineResponse)).events.map((e) => e.name),
    )
    .toContain('Added to Cart');
  const typoEvents = (await ops.get(`people/${typoId}/timeline?limit=1000`, timelineResponse)).events;
  expect(typoEvents.map((e) => e.name)).not.toContain('Added to Cart');
  await context.close();

  await ops.runJourneys();
  await ops.advanceClock('1h');
  expect((await ops.get(`outbox?to=${encodeURIComponent(typo)}`, outboxResponse)).messages).toEqual([]);
  const { messages } = await ops.get(`outbox?to=${encodeURIComponent(email)}`, outboxResponse);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ journey_id: 'cart-recovery-lookback', to: email });
  expect(messages[0]!.html).toContain(BUNDLE.name);
});

// Each change of address rotates the browser's anonymous id (lib/shop/server/tracking.ts `freshBrowserIdFor`), and the
// change back follows the correction within about a second: the browser's identifies must each go out with the id
// and signature of their own answer, whatever the cookies hold by then (none held back by the pipeline).
test('an email changed back at checkout (ada → adda → ada) and ordered: the history and the order are ada’s, the mistyped address gets nothing', async ({
  browser,
  baseURL,
}) => {
  const { context, page, email, typo, leave } = await atCheckoutWithTypo(browser, baseURL!, 'changed-back');
  const names = async (who: string) => {
    const id = await personIdOf(who);
    return id ? (await ops.get(`people/${id}/timeline?limit=1000`, timelineResponse)).events.map((e) => e.name) : [];
  };
  await leave(email);
  await expect.poll(() => names(email)).toContain('Added to Cart');
  // Corrected to the typo: the cart goes with it (as in the test above)…
  await leave(typo);
  await expect.poll(() => names(typo)).toContain('Added to Cart');
  // …and changed back, a correction too: the cart and browsing come back to the address typed now.
  await leave(email);
  await expect.poll(() => names(typo)).not.toContain('Added to Cart');
  expect(await names(email)).toContain('Added to Cart');
  const typoId = (await personIdOf(typo))!;
  await fillCheckout(page, address(email));
  await placeOrder(page);
  await expect.poll(() => names(email)).toContain('Order Completed');
  expect((await personOf(typoId)).traits.cart ?? null).toBeNull();
  // The browser identified ada, adda, ada and the buyer: each applied, none held as another id's or unsigned.
  const browserId = (await anonymousIdCookie(context))!;
  const identifies = async () => {
    const people = await Promise.all([personOf((await personIdOf(email))!), personOf(typoId)]);
    const ids = new Set([browserId, ...people.flatMap((p) => p.anonymous_ids)]);
    const events = (
      await Promise.all([...ids].map((id) => ops.get(`anonymous/${id}?limit=1000`, anonymousResponse)))
    ).flatMap((a) => a.events);
    const byId = new Map(
      events.filter((e) => e.type === 'identify' && e.sources.includes('client')).map((e) => [e.message_id, e]),
    );
    return [...byId.values()];
  };
  await expect.poll(async () => (await identifies()).length).toBeGreaterThanOrEqual(4);
  expect((await identifies()).flatMap((e) => e.violations.map((v) => `${v.kind} ${v.reason ?? ''}`))).toEqual([]);
  await context.close();

  await ops.runJourneys();
  await ops.advanceClock('1h');
  expect((await ops.get(`outbox?to=${encodeURIComponent(typo)}`, outboxResponse)).messages).toEqual([]);
});
