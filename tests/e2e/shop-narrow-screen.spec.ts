import { listProducts } from '@/lib/shop/domain/catalog';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '@/lib/shop/domain/cart-lines';
import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { seedCart, skipEmailPopup, STOREFRONT_PATHS } from './support/shop';

// WCAG 2.1's reflow criterion (1.4.10): content fits 320 CSS px without scrolling sideways (a small phone, or 400 %
// zoom on a desktop). accessibility.spec checks 390 px; the header's cart count and the cart's line totals are widest
// with the largest cart an order holds, so that is the cart here.

/** The largest cart: the most different items, each at the cap, the dearest first (the longest totals). */
const LARGEST_CART = listProducts()
  .flatMap((p) => p.variants)
  .sort((a, b) => b.priceCents - a.priceCents)
  .slice(0, MAX_CART_LINES)
  .map((v) => ({ sku: v.sku, quantity: MAX_LINE_QUANTITY }));

const NARROW = { width: 320, height: 640 };

/** The pages of `paths` that are wider than the screen, with how wide. */
async function tooWide(page: Page, paths: readonly string[]) {
  const found: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    // The count and the cart's rows come after hydration, from the saved cart.
    if (path === '/cart') await expect(page.locator('[data-cart-line]')).toHaveCount(MAX_CART_LINES);
    else await expect(page.getByTestId('cart-count')).toHaveText(String(MAX_CART_LINES * MAX_LINE_QUANTITY));
    const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    if (width > NARROW.width) found.push(`${path}: ${width} px wide`);
  }
  return found;
}

test('with the largest cart an order holds, no shop page scrolls sideways on a 320 px screen', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(NARROW);
  await skipEmailPopup(page);
  await seedCart(page, LARGEST_CART);
  expect(await tooWide(page, STOREFRONT_PATHS)).toEqual([]);
  // What is announced is still the whole name, though the word "Cart" is not shown at this width.
  await expect(page.getByRole('link', { name: `Cart, ${MAX_CART_LINES * MAX_LINE_QUANTITY} items` })).toBeVisible();
});
