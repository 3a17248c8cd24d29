import { expect, test } from './support/test';
import { getProductByHandle } from '@/lib/shop/domain/catalog';
import { skipEmailPopup } from './support/shop';

// The storefront's links are plain <a>s that one listener (components/layout/link-navigation.tsx) takes as
// client-side navigations, as next/link did: the page is not loaded again, and a modified click is the browser's.

test.beforeEach(async ({ page }) => skipEmailPopup(page));

test('header, page and footer links navigate client-side, to the top of the next page', async ({ page }) => {
  const documents: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'document') documents.push(new URL(r.url()).pathname);
  });
  await page.goto('/');
  // Hydrated: the header's cart link reads the saved cart once the page is interactive.
  await expect(page.getByRole('link', { name: 'Cart, 0 items' })).toBeVisible();
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));

  const product = getProductByHandle('gentle-gel-cleanser')!;
  await page.getByRole('link', { name: product.name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: product.name })).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);

  await page.getByRole('contentinfo').getByRole('link', { name: 'Your cart' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  await page.getByRole('link', { name: 'Glowlab', exact: true }).first().click();
  await expect(page).toHaveURL(/\/$/);

  expect(await page.evaluate(() => 'sameDocument' in window), 'the page was never loaded again').toBe(true);
  expect(documents).toEqual(['/']);
});

test('a click with a modifier key is left to the browser', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Cart, 0 items' })).toBeVisible();
  const opened = context.waitForEvent('page');
  await page
    .getByRole('contentinfo')
    .getByRole('link', { name: 'Your cart' })
    .click({ modifiers: ['ControlOrMeta'] });
  await expect(await opened).toHaveURL(/\/cart$/);
  await expect(page).toHaveURL(/\/$/);
});
