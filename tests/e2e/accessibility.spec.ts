import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Page } from '@playwright/test';
import { expect, test } from './support/test';
import { axeViolations, injectAxe } from './support/axe';
import { seedCart, skipEmailPopup, STOREFRONT_PATHS } from './support/shop';
import { peopleByEmail, postStitchedVisitor, waitForPerson } from './support/tracking';

// axe on every shop page (with an empty cart; with a full one, the pages that show it) and every ops page, at desktop
// and phone sizes: no critical or serious violation, and none of the moderate ones the pages had (landmarks, heading
// order). At the phone size, no shop page scrolls sideways. Screenshots of the main pages and the ops console at
// both sizes go to SCREENSHOTS for people to look at (not committed).
//
// Each page is loaded once and scanned at both sizes: the layout follows the viewport through CSS alone (no
// component reads the window's size), so a page resized to a phone's width is the page a phone loads.

// Each batch of pages is its own job, so a free worker takes the next one (the `independent` project has two).
test.describe.configure({ mode: 'parallel' });

const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? path.join(os.tmpdir(), 'glowlab-screenshots');
const TOKEN = process.env.E2E_OPS_TOKEN!;

/** One test scans a whole list of pages; axe takes seconds a page on a busy machine. */
const SCAN_TIMEOUT = 300_000;

/** A full cart: two lines, and one at the quantity cap (the longest count and totals the pages show). */
const FULL_CART = [
  { sku: 'GL-SER-NIA-30', quantity: 2 },
  { sku: 'GL-BUN-BARRIER', quantity: 1 },
  { sku: 'GL-MOI-SPF-50', quantity: 99 },
];

/** With a full cart, the pages whose content changes with it (the header's count is on all of them). */
const CART_PATHS = ['/', '/products/niacinamide-serum', '/cart', '/checkout'];

/** The main pages saved as screenshots (the ones that show the cart, with a full one), by file name. */
const SHOTS: Record<string, string> = {
  '/': 'home',
  '/collections/serums': 'collection',
  '/products/niacinamide-serum': 'product',
  '/search?q=niacinamide': 'search',
  '/cart': 'cart',
  '/checkout': 'checkout',
  '/quiz?result=sensitive': 'quiz-result',
  '/products/no-such-product': '404',
};

/** The empty-cart shop pages in batches: separate jobs, so both workers share them. */
const BATCHES = 3;
const batchOf = <T>(list: readonly T[], i: number) => list.filter((_, n) => n % BATCHES === i);

/** Rules that are moderate but were fixed, so they stay fixed. */
const ALSO_FORBIDDEN = new Set(['landmark-one-main', 'heading-order', 'region', 'page-has-heading-one']);

/** axe's serious findings on the page as it is now (axe-core already injected in it). */
async function violations(page: Page, where: string) {
  return (await axeViolations(page))
    .filter((v) => v.impact === 'critical' || v.impact === 'serious' || ALSO_FORBIDDEN.has(v.id))
    .map((v) => `${where}: ${v.impact} ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Waits for the client-only parts (the cart count comes after hydration) before scanning. */
async function settled(page: Page) {
  await page.waitForLoadState('load');
  if (!new URL(page.url()).pathname.startsWith('/ops')) {
    await expect(page.getByRole('link', { name: /^Cart, \d+ items?$/ })).toBeVisible();
  } else {
    // A console page streams in behind its loading skeleton (no heading yet): scanned once its title shows.
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
}

/** Saves a full-page screenshot for people to look at, and checks it was written. */
async function screenshot(page: Page, file: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const target = path.join(SCREENSHOTS, `${file}.png`);
  await page.screenshot({ path: target, fullPage: true });
  expect(fs.statSync(target).size, `${target} written`).toBeGreaterThan(0);
}

type Check = { shop?: boolean; shot?: string };

/**
 * Loads `url` once (at desktop size) and scans it at each size; a shop page must also fit the phone's width.
 * Returns every problem found, so one run reports all of them.
 */
async function checkPage(page: Page, url: string, { shop = true, shot }: Check = {}) {
  const found: string[] = [];
  await page.setViewportSize(SIZES.desktop);
  await page.goto(url);
  await settled(page);
  await injectAxe(page);
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    found.push(...(await violations(page, `${url} at ${size} size`)));
    if (shot) await screenshot(page, `${size}-${shot}`);
  }
  if (shop) {
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement!.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    if (scrollWidth > innerWidth) found.push(`${url}: ${scrollWidth} px wide on a ${innerWidth} px phone screen`);
  }
  return found;
}

for (let batch = 0; batch < BATCHES; batch++) {
  test(`shop pages with an empty cart (${batch + 1}/${BATCHES}) have no serious accessibility violations and fit a phone`, async ({
    page,
  }) => {
    test.setTimeout(SCAN_TIMEOUT);
    await skipEmailPopup(page);
    const found: string[] = [];
    for (const url of batchOf(STOREFRONT_PATHS, batch)) {
      const shot = CART_PATHS.includes(url) ? undefined : SHOTS[url];
      found.push(...(await checkPage(page, url, { shot })));
    }
    expect(found).toEqual([]);
  });
}

test('shop pages with a full cart have no serious accessibility violations and fit a phone', async ({ page }) => {
  test.setTimeout(SCAN_TIMEOUT);
  await skipEmailPopup(page);
  await seedCart(page, FULL_CART);
  const found: string[] = [];
  for (const url of CART_PATHS) found.push(...(await checkPage(page, url, { shot: SHOTS[url] })));
  expect(found).toEqual([]);
});

test('ops pages have no serious accessibility violations', async ({ page, request }) => {
  test.setTimeout(SCAN_TIMEOUT);
  // A person with a stitched anonymous device, so the person and device pages have something to show.
  const { anonymousId, email } = await postStitchedVisitor(request);
  await waitForPerson(request, email);
  const person = (await peopleByEmail(request, email))[0]!;
  const ops = { shop: false };

  const found: string[] = [];
  found.push(...(await checkPage(page, '/ops/login', ops)));
  await page.goto(`/ops?token=${encodeURIComponent(TOKEN)}`);
  await expect(page).toHaveURL(/\/ops$/);
  found.push(...(await checkPage(page, '/ops', { ...ops, shot: 'ops' })));
  const pages = [
    '/ops/segments',
    '/ops/journeys',
    '/ops/outbox',
    '/ops/forwarding',
    '/ops/funnel',
    '/ops/quality',
    `/ops/people/${encodeURIComponent(person.id)}`,
    `/ops/anonymous/${encodeURIComponent(anonymousId)}`,
  ];
  const hrefs = new Map<string, string[]>();
  for (const url of pages) {
    found.push(...(await checkPage(page, url, ops)));
    hrefs.set(
      url,
      await page
        .getByRole('main')
        .getByRole('link')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? '')),
    );
  }
  // Detail pages reached from their lists (a segment always exists; an outbox message may not yet).
  for (const [list, detail] of [
    ['/ops/segments', /^\/ops\/segments\/[^/]+$/],
    ['/ops/outbox', /^\/ops\/outbox\/[^/]+$/],
  ] as const) {
    const href = hrefs.get(list)!.find((h) => detail.test(h.split('?')[0]!));
    if (list === '/ops/segments') expect(href, 'a segment to open').toBeDefined();
    if (href) found.push(...(await checkPage(page, href, ops)));
  }
  expect(found).toEqual([]);
});

test('the first Tab on a shop page and a console page offers to skip to the content, which the next Tab enters', async ({
  page,
}) => {
  await skipEmailPopup(page);
  for (const url of ['/products/niacinamide-serum', `/ops?token=${encodeURIComponent(TOKEN)}`]) {
    await page.goto(url);
    await settled(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip, url).toBeFocused();
    await expect(skip, `${url}: shown once focused`).toBeInViewport();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    // Past the header and its navigation: the next stop is inside the page's own content.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('main')?.id ?? null), { message: url })
      .toBe('main');
  }
});
