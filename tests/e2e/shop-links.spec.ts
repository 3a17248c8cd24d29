import { type Page } from '@playwright/test';
import { expect, test } from './support/test';
import { getProductByHandle } from '@/lib/shop/domain/catalog';
import { skipEmailPopup } from './support/shop';
import { visit } from './support/tracking';

test.beforeEach(async ({ page }) => skipEmailPopup(page));

/** The routes the page fetched as React Server Component payloads (prefetches and navigations), in order. */
function routeFetches(page: Page) {
  const paths: string[] = [];
  page.on('request', (r) => {
    if (r.headers()['rsc'] === '1') paths.push(new URL(r.url()).pathname);
  });
  return paths;
}

test('a page loads without fetching the routes it links to; a link prefetches its own route once pointed at or focused', async ({
  page,
}) => {
  const fetched = routeFetches(page);
  // visit() waits for the page call, which the SDK sends once the browser is idle after hydration: viewport
  // prefetching would have started by then.
  await visit(page, '/');
  await page.waitForLoadState('networkidle');
  expect(fetched, 'routes fetched while the home page loaded').toEqual([]);

  const product = getProductByHandle('gentle-gel-cleanser')!;
  const card = page.getByRole('link', { name: product.name, exact: true });
  await card.hover();
  await expect.poll(() => fetched).toContain(`/products/${product.handle}`);

  const quiz = page.getByRole('main').getByRole('link', { name: 'Take the skin quiz' });
  await quiz.focus();
  await expect.poll(() => fetched).toContain('/quiz');
  expect(new Set(fetched), 'only the routes pointed at or focused').toEqual(
    new Set([`/products/${product.handle}`, '/quiz']),
  );

  await card.click();
  await expect(page).toHaveURL(new RegExp(`/products/${product.handle}$`));
  await expect(page.getByRole('heading', { level: 1, name: product.name })).toBeVisible();
});
