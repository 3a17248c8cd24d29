import { listProducts } from '@/lib/shop/domain/catalog';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '@/lib/shop/domain/cart-lines';
import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { signUp } from './support/accounts';
import { address, fillCheckout, placeOrder, seedCart, skipEmailPopup, STOREFRONT_PATHS } from './support/shop';

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

/** How much wider than the screen the page is (0: it fits). */
const overflow = (page: Page) =>
  page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);

test('a long email, name, street, town or search word wraps instead of widening the page', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(NARROW);
  await skipEmailPopup(page);
  // Real ones: a university address, a German surname, a Welsh village (58 letters, no space).
  const email = `christopher.montgomery-${Date.now()}@students.engineering.example.edu`;
  const name = 'Hubert Wolfeschlegelsteinhausenbergerdorff';
  const town = 'Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch';
  await signUp(page, email, name);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  expect.soft(await overflow(page), 'the account page').toBe(0);

  await seedCart(page, [{ sku: 'GL-SER-NIA-30', quantity: 1 }]);
  await page.goto('/checkout');
  await fillCheckout(page, {
    ...address(email, 'GB'),
    email: undefined,
    name,
    addressLine1: `1 ${town} Road`,
    city: town,
  });
  await placeOrder(page);
  await expect(page.getByText(`We will email ${email}`)).toBeVisible();
  expect.soft(await overflow(page), 'the order page').toBe(0);

  await page.goto(`/search?q=${'niacinamide'.repeat(9)}`);
  await expect(page.getByRole('heading', { name: /No products match/ })).toBeVisible();
  expect.soft(await overflow(page), 'the search page').toBe(0);
});
