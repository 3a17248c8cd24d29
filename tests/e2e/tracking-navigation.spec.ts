import fs from 'node:fs';
import path from 'node:path';
import type { Page, Response } from '@playwright/test';
import { expect, test } from './support/test';
import { getProductByHandle } from '@/lib/shop/domain/catalog';
import type { TimelineEvent } from '@/lib/cdp/ops/contract';
import { CARRIED_CALLS_KEY } from '@/lib/tracking/carry-over';
import { skipEmailPopup } from './support/shop';
import { anonymousEvents, anonymousIdCookie, names } from './support/tracking';

// The SDK loads after hydration, the tracking settings and an idle moment: on a phone, seconds. Calls made meanwhile
// wait in the page; a full-page navigation (a typed address, a reload, a link the router does not handle) hands
// them to the tab's next page, which sends them as they were made (lib/tracking/carry-over.ts).

const product = getProductByHandle('hyaluronic-serum')!;
const titleOf = (name: string) => `${name} · Glowlab`;

test.beforeEach(async ({ page }) => skipEmailPopup(page));

/** Holds the tracking settings (so the SDK never starts) until `release` is called. */
async function holdSettings(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/shop/tracking', async (route) => {
    await released;
    await route.continue().catch(() => undefined); // a request of a page left meanwhile is gone
  });
  return release;
}

/** The build's chunk of lib/tracking/carry-over.ts: the one that names its storage key and listens for `pagehide`. */
const CHUNKS = path.join(__dirname, '../../.next/static/chunks');
const carryOverChunk = fs.readdirSync(CHUNKS).find((name) => {
  const code = name.endsWith('.js') ? fs.readFileSync(path.join(CHUNKS, name), 'utf8') : '';
  return code.includes(CARRIED_CALLS_KEY) && code.includes('pagehide');
})!;
const isCarryOverChunk = (response: Response) => response.url().endsWith(`/_next/static/chunks/${carryOverChunk}`);

/**
 * Opens `path` and waits until its first calls are made (the settings are asked for after them, in a parent's
 * effect) and the module that hands them on at the page's end is there.
 */
async function openAndLeaveSoon(page: Page, path: string) {
  const settingsAsked = page.waitForRequest('**/api/shop/tracking');
  const carrier = page.waitForResponse(isCarryOverChunk);
  await page.goto(path);
  await Promise.all([settingsAsked, carrier]);
}

const pageOf = (e: TimelineEvent) => (e.context as { page: { path: string; title: string; referrer: string } }).page;

test('calls made before the SDK loaded survive full-page navigations: each stored once, on its own page', async ({
  page,
  baseURL,
}) => {
  const release = await holdSettings(page);
  await openAndLeaveSoon(page, '/collections/serums');
  await openAndLeaveSoon(page, `/products/${product.handle}`);
  release();
  await page.goto('/cart');
  await expect(page).toHaveTitle(titleOf('Your cart'));

  const anonymousId = (await anonymousIdCookie(page.context()))!;
  const stored = async () => (await anonymousEvents(page.request, anonymousId)).events;
  await expect
    .poll(async () => (await stored()).filter((e) => e.type === 'page').map((e) => pageOf(e).path))
    .toEqual(['/collections/serums', `/products/${product.handle}`, '/cart']);
  const events = await stored();
  // Sent from the cart page, made on the pages before it: their own titles, addresses and times.
  const pages = events.filter((e) => e.type === 'page');
  expect(pages.map((e) => pageOf(e).title)).toEqual([titleOf('Serums'), titleOf(product.name), titleOf('Your cart')]);
  expect(pages.map((e) => (e.properties as { url: string }).url)).toEqual([
    `${baseURL}/collections/serums`,
    `${baseURL}/products/${product.handle}`,
    `${baseURL}/cart`,
  ]);
  const viewed = events.find((e) => e.name === 'Collection Viewed')!;
  expect(viewed.properties).toMatchObject({ collection_id: 'col_serums' });
  expect(pageOf(viewed)).toMatchObject({ path: '/collections/serums', title: titleOf('Serums') });
  const times = pages.map((e) => Date.parse(e.timestamp));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(names(events).indexOf('Collection Viewed')).toBeLessThan(names(events).lastIndexOf('page'));
  // Nothing went twice, and nothing is left for a later page.
  expect(events.filter((e) => e.seen_count !== 1)).toEqual([]);
  expect(new Set(events.map((e) => e.message_id)).size).toBe(events.length);
  expect(await page.evaluate((key) => sessionStorage.getItem(key), CARRIED_CALLS_KEY)).toBeNull();
});
