import { type BrowserContext, type Page } from '@playwright/test';
import { expect, test } from './support/test';
import { getProductByHandle } from '@/lib/shop/domain/catalog';
import {
  ajsCookies,
  anonymousEvents,
  anonymousIdCookie,
  named,
  names,
  recordIngest,
  sdkStorage,
  shopperContext,
  storedAnonymousId,
  storedEventCount,
  visit,
} from './support/tracking';

// A choice made on the consent banner can be changed from the footer's "Privacy choices": withdrawn as easily as it
// was given, and a Decline undone. In project `last` (playwright.config.ts): "nothing stored since Decline" reads the
// pipeline's total, which only a quiet pipeline keeps still.

const serum = getProductByHandle('vitamin-c-serum')!;
const UUID = /^[0-9a-f-]{36}$/;

const consentCookie = async (context: BrowserContext) =>
  (await context.cookies()).find((c) => c.name === 'glowlab_consent')?.value;
const idle = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 })));

function privacyChoices(page: Page) {
  return {
    control: page.getByRole('contentinfo').getByRole('button', { name: 'Privacy choices' }),
    banner: page.getByRole('region', { name: 'Privacy choices' }),
  };
}

test('accepted, then declined through Privacy choices: the SDK ids are gone and nothing more reaches the pipeline', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const page = await context.newPage();
  const ingest = recordIngest(page);
  await visit(page, `/products/${serum.handle}`);
  const acceptedId = (await anonymousIdCookie(context))!;
  expect(acceptedId).toMatch(UUID);
  await expect.poll(() => storedAnonymousId(page)).toBe(acceptedId);
  await expect
    .poll(async () => names((await anonymousEvents(request, acceptedId)).events).toSorted())
    .toEqual(['Product Viewed', 'page']);

  const { control, banner } = privacyChoices(page);
  await expect(banner, 'a choice was made: no banner').toBeHidden();
  // Opened, it takes focus and says what was chosen; Escape closes it unchanged, focus back on the control.
  await control.click();
  await expect(banner).toBeFocused();
  await expect(banner).toHaveAccessibleDescription(/You accepted analytics/);
  await expect(control).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(banner).toBeHidden();
  await expect(control).toBeFocused();
  expect(await consentCookie(context)).toBe('granted');

  await control.click();
  const storedAtDecline = await storedEventCount(request);
  const sentAtDecline = ingest.calls.length;
  await banner.getByRole('button', { name: 'Decline' }).click();
  await expect(banner).toBeHidden();
  await expect(control, 'focus goes back to the control').toBeFocused();
  await expect(control).toHaveAttribute('aria-expanded', 'false');
  expect(await consentCookie(context)).toBe('denied');
  await expect.poll(() => ajsCookies(context), { message: 'the ajs_* cookies are deleted' }).toEqual([]);
  await expect.poll(() => sdkStorage(page), { message: 'the SDK storage is deleted' }).toEqual([]);

  // What would send if the withdrawal leaked: a tracked add to cart (browser track + server mirror), a client-side
  // navigation's page call, and a full document load (where proxy.ts would mint a new id).
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await page.getByRole('contentinfo').getByRole('link', { name: 'Find your routine' }).click();
  await expect(page).toHaveURL(/\/quiz$/);
  await page.goto(`/products/${serum.handle}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 2 items' })).toBeVisible();
  await idle(page);
  await idle(page);

  expect(ingest.calls.length, 'no ingest request after Decline').toBe(sentAtDecline);
  expect(await ajsCookies(context)).toEqual([]);
  expect(await sdkStorage(page)).toEqual([]);
  expect(await storedEventCount(request), 'nothing stored since Decline').toBe(storedAtDecline);
  expect(names((await anonymousEvents(request, acceptedId)).events).toSorted()).toEqual(['Product Viewed', 'page']);

  // Reopened on the new page, the banner says so.
  await control.click();
  await expect(banner).toHaveAccessibleDescription(/You declined analytics/);
  await context.close();
});

test('declined, then accepted through Privacy choices (keyboard only): events flow again, under a new id', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!, { consent: false });
  const page = await context.newPage();
  await visit(page, `/products/${serum.handle}`);
  const declinedId = (await anonymousIdCookie(context))!;
  const { control, banner } = privacyChoices(page);
  // The banner covers none of the page: scrolled to the end, the footer's last line shows above it.
  const lastLine = page.getByRole('contentinfo').getByText('Prices in USD.');
  const lastLineBottom = async () => {
    await page.keyboard.press('End');
    const box = (await lastLine.boundingBox())!;
    return box.y + box.height;
  };
  await expect.poll(lastLineBottom).toBeLessThanOrEqual((await banner.boundingBox())!.y);
  await banner.getByRole('button', { name: 'Decline' }).click();
  await expect(banner).toBeHidden();
  await expect.poll(() => ajsCookies(context)).toEqual([]);

  await control.focus();
  await page.keyboard.press('Enter');
  await expect(banner).toBeFocused();
  await expect(banner).toHaveAccessibleDescription(/You declined analytics/);
  await page.keyboard.press('Tab');
  await expect(banner.getByRole('button', { name: 'Decline' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(banner.getByRole('button', { name: 'Accept' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(banner).toBeHidden();
  await expect(control).toBeFocused();
  expect(await consentCookie(context)).toBe('granted');

  // Without a reload: the SDK starts again with a new anonymous id, and both paths deliver under it.
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect.poll(() => anonymousIdCookie(context)).toMatch(UUID);
  const acceptedId = (await anonymousIdCookie(context))!;
  expect(acceptedId, 'Accept after Decline starts with a new anonymous id').not.toBe(declinedId);
  const acceptedEvents = async () => (await anonymousEvents(request, acceptedId)).events;
  await expect
    .poll(async () => named(await acceptedEvents(), 'Added to Cart').map((e) => e.sources.toSorted()))
    .toEqual([['client', 'server']]);
  await page.getByRole('contentinfo').getByRole('link', { name: 'Find your routine' }).click();
  await expect(page).toHaveURL(/\/quiz$/);
  await expect
    .poll(async () => (await acceptedEvents()).filter((e) => e.type === 'page').length, { message: 'a page call' })
    .toBeGreaterThanOrEqual(1);
  await context.close();
});

test('declined in another tab: this tab sends nothing more, and its SDK does not write its ids back', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!);
  const shop = await context.newPage();
  const ingest = recordIngest(shop);
  await visit(shop, `/products/${serum.handle}`);
  const acceptedId = (await anonymousIdCookie(context))!;
  await expect.poll(() => storedAnonymousId(shop)).toBe(acceptedId);
  await expect
    .poll(async () => names((await anonymousEvents(request, acceptedId)).events).toSorted())
    .toEqual(['Product Viewed', 'page']);

  // The shopper declines in a second tab of the same browser; the first is neither reloaded nor shown again.
  const other = await context.newPage();
  await visit(other, '/');
  const { control, banner } = privacyChoices(other);
  await control.click();
  await banner.getByRole('button', { name: 'Decline' }).click();
  await expect(banner).toBeHidden();
  await expect.poll(() => ajsCookies(context), { message: 'the ajs_* cookies are deleted' }).toEqual([]);
  await idle(other);
  const storedAtDecline = await storedEventCount(request);
  const sentAtDecline = ingest.calls.length;

  // In the first tab: a tracked add to cart (browser track + server mirror) and a client-side navigation's page call.
  await shop.getByRole('button', { name: 'Add to cart' }).click();
  await expect(shop.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await shop.getByRole('contentinfo').getByRole('link', { name: 'Find your routine' }).click();
  await expect(shop).toHaveURL(/\/quiz$/);
  await idle(shop);
  await idle(shop);

  expect(ingest.calls.length, 'no ingest request from either tab after Decline').toBe(sentAtDecline);
  expect(await ajsCookies(context), 'no id written back').toEqual([]);
  expect(await sdkStorage(shop)).toEqual([]);
  expect(await storedEventCount(request), 'nothing stored since Decline').toBe(storedAtDecline);
  // The first tab knows it now too.
  await privacyChoices(shop).control.click();
  await expect(privacyChoices(shop).banner).toHaveAccessibleDescription(/You declined analytics/);
  await context.close();
});
