import { expect, test } from './support/test';
import { skipEmailPopup } from './support/shop';
import { anonymousEvents, anonymousIdCookie, trackSent, visit } from './support/tracking';

// Page calls are route views: picking a size on a product page (kept in `?variant=`, replaced) is not one.

test.beforeEach(async ({ page }) => skipEmailPopup(page));

test('choosing sizes on a product page sends no page call of its own; the product was viewed once', async ({
  page,
}) => {
  await visit(page, '/products/vitamin-c-serum?variant=var_vitamin_c_serum_30');
  // Each pick replaces the URL's ?variant= (what PageViews sees); the check is on the picked radio, not the URL: on
  // a cold server Next.js can still be settling its own history entry and write the URL back once.
  await page.getByRole('radio', { name: /^15 ml/ }).check();
  await expect(page.getByRole('radio', { name: /^15 ml/ })).toBeChecked();
  await page.getByRole('radio', { name: /^30 ml/ }).check();
  await expect(page.getByRole('radio', { name: /^30 ml/ })).toBeChecked();
  // The SDK sends in order: once this add went out, a page call for either size change would have gone before it.
  const added = trackSent(page, 'Added to Cart');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await added;
  await visit(page, '/cart');

  const anonymousId = (await anonymousIdCookie(page.context()))!;
  const stored = async () => (await anonymousEvents(page.request, anonymousId)).events;
  await expect.poll(async () => (await stored()).filter((e) => e.type === 'page').length).toBe(2);
  const events = await stored();
  expect(events.filter((e) => e.type === 'page').map((e) => e.properties)).toEqual([
    expect.objectContaining({ path: '/products/vitamin-c-serum' }),
    expect.objectContaining({ path: '/cart' }),
  ]);
  expect(events.filter((e) => e.name === 'Product Viewed')).toHaveLength(1);
  expect(events.find((e) => e.name === 'Added to Cart')?.properties).toMatchObject({
    added: { sku: 'GL-SER-VTC-30', variant_id: 'var_vitamin_c_serum_30', quantity: 1 },
  });
});
