import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { getProductByHandle } from '@/lib/shop/domain/catalog';
import type { TimelineEvent } from '@/lib/cdp/ops/contract';
import { skipEmailPopup } from './support/shop';
import { anonymousEvents, anonymousIdCookie, names, visit } from './support/tracking';

// Every page call carries the page it is about, as analytics.js records it on a full page load: its title, address,
// path, query and, after a client-side navigation, the page before as referrer (Referrer-Policy same-origin sends a
// full load the whole address). Track calls carry the page they were made on (`context.page`).

const centella = getProductByHandle('centella-calming-serum')!;
const HOME_TITLE = 'Glowlab — skincare that fits your skin';
const titleOf = (name: string) => `${name} · Glowlab`;

test.beforeEach(async ({ page }) => skipEmailPopup(page));

/**
 * Next.js renders a route's `<title>` with its metadata, which it often streams after the route itself (React drops
 * or keeps the old title meanwhile): here every title a client-side navigation renders comes 0.3 s after React asked
 * for it, so a page call sent when the route appears would go without it, or with the page before's. React keeps the
 * element in a detached holder meanwhile, which it can still remove it from.
 */
async function renderTitlesLate(page: Page) {
  await page.addInitScript(() => {
    const insertBefore = Node.prototype.insertBefore;
    Node.prototype.insertBefore = function <T extends Node>(this: Node, node: T, child: Node | null): T {
      if (this !== document.head || node.nodeName !== 'TITLE') return insertBefore.call(this, node, child) as T;
      const holder = document.createElement('div');
      holder.appendChild(node);
      setTimeout(() => {
        if (node.parentNode === holder) insertBefore.call(document.head, node, document.querySelector('head > title'));
      }, 300);
      return node;
    };
  });
}

/** The page fields of a page call (its properties and its `context.page` alike). */
const pageFields = (e: TimelineEvent) => {
  const { path, url, title, referrer, search } = e.properties as Record<string, unknown>;
  return { path, url, title, referrer, search };
};
const contextPage = (e: TimelineEvent) => (e.context as { page?: unknown }).page;

async function storedEvents(page: Page) {
  const anonymousId = (await anonymousIdCookie(page.context()))!;
  return (await anonymousEvents(page.request, anonymousId)).events;
}

test('after client-side navigations each page call carries its own page: title (rendered late), address, referrer', async ({
  page,
  baseURL,
}) => {
  await renderTitlesLate(page);
  const at = (path: string) => `${baseURL}${path}`;
  const nav = page.getByRole('navigation', { name: 'Main' });

  await visit(page, '/');
  await nav.getByRole('link', { name: 'Serums' }).click();
  await expect(page).toHaveTitle(titleOf('Serums'));
  await page.getByRole('link', { name: centella.name }).click();
  await expect(page).toHaveTitle(titleOf(centella.name));
  await page.getByRole('link', { name: /^Cart/ }).click();
  await expect(page).toHaveTitle(titleOf('Your cart'));
  await page.goBack();
  await expect(page).toHaveTitle(titleOf(centella.name));

  const views = [
    { name: 'Home', path: '/', title: HOME_TITLE, referrer: '' },
    { name: 'Collections', path: '/collections/serums', title: titleOf('Serums'), referrer: at('/') },
    {
      name: 'Products',
      path: `/products/${centella.handle}`,
      title: titleOf(centella.name),
      referrer: at('/collections/serums'),
    },
    { name: 'Cart', path: '/cart', title: titleOf('Your cart'), referrer: at(`/products/${centella.handle}`) },
    // Back is a view of its own too; its referrer is the view before it, the cart.
    { name: 'Products', path: `/products/${centella.handle}`, title: titleOf(centella.name), referrer: at('/cart') },
  ].map(({ name, ...fields }) => ({ name, ...fields, url: at(fields.path), search: '' }));
  await expect.poll(async () => (await storedEvents(page)).filter((e) => e.type === 'page').length).toBe(views.length);

  const events = await storedEvents(page);
  const pages = events.filter((e) => e.type === 'page');
  expect(pages.map((e) => ({ name: e.name, ...pageFields(e) }))).toEqual(views);
  for (const e of pages) expect(contextPage(e), e.name!).toEqual(pageFields(e));
  // A track call made in a view carries that view: Collection Viewed (sent by the browser alone) its title, referrer.
  const collectionViewed = events.find((e) => e.name === 'Collection Viewed')!;
  expect(contextPage(collectionViewed)).toEqual(pageFields(pages[1]!));
  // In the order they happened. A view's track (Collection Viewed, Product Viewed) is made in the same render as its
  // page call, often the same millisecond: the pipeline's skew correction (each request's own) may put either first,
  // but both come within their view — between the view before and the view after.
  const order = names(events);
  const withinViews = (list: readonly (string | null)[]) => [
    ...list.slice(0, 2),
    ...list.slice(2, 4).sort(),
    list[4],
    ...list.slice(5).sort(),
  ];
  const viewed = ['page', 'page', 'page', 'Product Viewed', 'page', 'page', 'Product Viewed'];
  expect(withinViews(order.filter((name) => name !== 'Collection Viewed'))).toEqual(withinViews(viewed));
  expect([1, 2]).toContain(order.indexOf('Collection Viewed'));
});

test('calls queued while the SDK is still loading keep the page they were made on', async ({ page, baseURL }) => {
  await renderTitlesLate(page);
  const at = (path: string) => `${baseURL}${path}`;
  // The tracking settings (and so the SDK) arrive only once the shopper is two pages further: a slow network.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/shop/tracking', async (route) => {
    await released;
    await route.continue();
  });

  // Landed on from a newsletter: the campaign is the landing page's, not the page the shopper is on once it is sent.
  const landing = `/products/${centella.handle}?utm_source=newsletter&utm_campaign=spring`;
  await page.goto(landing);
  await page.getByRole('radio', { name: /^50 ml/ }).check();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 1 item' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Moisturisers' }).click();
  await expect(page).toHaveTitle(titleOf('Moisturisers'));
  await page.getByRole('link', { name: 'Cart, 1 item' }).click();
  await expect(page).toHaveTitle(titleOf('Your cart'));
  release();

  const product = at(landing);
  await expect.poll(async () => (await storedEvents(page)).filter((e) => e.type === 'page').length).toBe(3);
  const events = await storedEvents(page);
  const pages = events.filter((e) => e.type === 'page');
  expect(pages.map(pageFields)).toEqual([
    {
      path: `/products/${centella.handle}`,
      url: product,
      title: titleOf(centella.name),
      referrer: '',
      search: '?utm_source=newsletter&utm_campaign=spring',
    },
    {
      path: '/collections/moisturisers',
      url: at('/collections/moisturisers'),
      title: titleOf('Moisturisers'),
      referrer: product,
      search: '',
    },
    {
      path: '/cart',
      url: at('/cart'),
      title: titleOf('Your cart'),
      referrer: at('/collections/moisturisers'),
      search: '',
    },
  ]);
  for (const e of pages) expect(contextPage(e)).toEqual(pageFields(e));
  expect(contextPage(events.find((e) => e.name === 'Collection Viewed')!)).toEqual(pageFields(pages[1]!));
  expect(pages.map((e) => (e.context as { campaign?: unknown }).campaign)).toEqual([
    { source: 'newsletter', name: 'spring' },
    undefined,
    undefined,
  ]);
  // The product's events stay on the product's page: their server copies, held with the rest until the settings came,
  // are dated when the shopper did it, as the browser's are.
  await expect
    .poll(async () => (await storedEvents(page)).filter((e) => e.sources.includes('server')).map((e) => e.name))
    .toEqual(['Product Viewed', 'Added to Cart']);
  const order = names(await storedEvents(page)).filter((name) => name !== 'Collection Viewed');
  expect(order).toEqual(['page', 'Product Viewed', 'Added to Cart', 'page', 'page']);
});
