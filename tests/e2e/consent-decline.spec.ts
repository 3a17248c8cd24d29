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

const serum = getProductByHandle('vitamin-c-serum')!;
const UUID = /^[0-9a-f-]{36}$/;

test('opt-out Decline: ajs_* storage goes, nothing more reaches the ingest from either side; Accept later starts with a new anonymous id', async ({
  browser,
  request,
  baseURL,
}) => {
  const context = await shopperContext(browser, baseURL!, { consent: false });
  const page = await context.newPage();
  const ingest = recordIngest(page);

  // Before any choice the opt-out shop tracks: an id is minted and stored, and calls reach the pipeline.
  await visit(page, `/products/${serum.handle}`);
  const declinedId = (await anonymousIdCookie(context))!;
  expect(declinedId).toMatch(UUID);
  expect(await storedAnonymousId(page)).toBe(declinedId);
  const declinedEvents = async () => (await anonymousEvents(request, declinedId)).events;
  await expect.poll(async () => names(await declinedEvents()).toSorted()).toEqual(['Product Viewed', 'page']);
  const storedAtDecline = await storedEventCount(request);
  const sentAtDecline = ingest.calls.length;

  const banner = page.getByRole('region', { name: 'Privacy choices' });
  await banner.getByRole('button', { name: 'Decline' }).click();
  await expect(banner).toBeHidden();
  await expect.poll(() => ajsCookies(context), { message: 'Decline deletes the ajs_* cookies' }).toEqual([]);
  await expect.poll(() => sdkStorage(page), { message: 'Decline deletes the SDK storage' }).toEqual([]);

  // What would send if Decline leaked: a tracked add to cart (browser track + server mirror), a page call on a
  // client-side navigation, and full document loads (where proxy.ts would mint a new id).
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await page.goto('/collections/serums');
  await expect(page.getByRole('heading', { level: 1, name: 'Serums' })).toBeVisible();
  await page
    .getByRole('link', { name: new RegExp(serum.name) })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/products/${serum.handle}$`));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 2 items' })).toBeVisible();
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 })));
  expect(await ajsCookies(context)).toEqual([]);
  expect(await sdkStorage(page)).toEqual([]);

  // The shopper changes their mind: with the choice cleared the banner asks again, and Accept starts afresh.
  await context.clearCookies({ name: 'glowlab_consent' });
  const sentBeforeAccept = ingest.calls.length;
  await page.goto(`/products/${serum.handle}`);
  await banner.getByRole('button', { name: 'Accept' }).click();
  await expect(banner).toBeHidden();
  const acceptedId = (await anonymousIdCookie(context))!;
  expect(acceptedId, 'Accept after Decline starts with a new anonymous id').toMatch(UUID);
  expect(acceptedId).not.toBe(declinedId);
  await expect.poll(() => storedAnonymousId(page)).toBe(acceptedId);
  const acceptedEvents = async () => (await anonymousEvents(request, acceptedId)).events;
  // The marker: an add to cart delivered by both paths, each queued behind anything it had held back.
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect
    .poll(async () => named(await acceptedEvents(), 'Added to Cart').map((e) => e.sources.toSorted()))
    .toEqual([['client', 'server']]);

  // Now the absence is an answer: nothing was sent between Decline and Accept, nothing held back was sent
  // under the declined id, and the pipeline stored nothing but the new id's events since Decline.
  expect(sentBeforeAccept, 'no ingest request between Decline and Accept').toBe(sentAtDecline);
  const later = ingest.calls
    .slice(sentAtDecline)
    .flatMap((c) => (Array.isArray(c.body.batch) ? c.body.batch : [c.body]));
  expect(new Set(later.map((m) => (m as { anonymousId?: string }).anonymousId))).toEqual(new Set([acceptedId]));
  expect(names(await declinedEvents()).toSorted()).toEqual(['Product Viewed', 'page']);
  expect(await storedEventCount(request)).toBe(storedAtDecline + (await acceptedEvents()).length);
  await context.close();
});
