import { expect, test } from './support/test';
import { findVariantBySku } from '@/lib/shop/domain/catalog';
import { skipEmailPopup } from './support/shop';
import { anonymousEvents, anonymousIdCookie, visit } from './support/tracking';

// A cart change is one event: a quantity typed in the cart ("1", then "12") is one Added to Cart or Removed from Cart
// for what the typing changed in all, once the field is left; − and + are one each at once.

const balm = findVariantBySku('GL-CLN-BALM-100')!;

test.beforeEach(async ({ page }) => skipEmailPopup(page));

test('typing a quantity in the cart is one cart event for the change in all; − and Remove one each', async ({
  page,
}) => {
  await visit(page, `/products/${balm.product.handle}?variant=${balm.variant.id}`);
  await expect(page.getByRole('radio', { name: new RegExp(`^${balm.variant.name}`) })).toBeChecked();
  await page.getByLabel('Quantity', { exact: true }).fill('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Cart, 2 items' }).click();

  const anonymousId = (await anonymousIdCookie(page.context()))!;
  const cartEvents = async () =>
    (await anonymousEvents(page.request, anonymousId)).events.filter(
      (e) => e.type === 'track' && /Cart$/.test(e.name!),
    );
  // Each step once both copies of the one before are stored, as a shopper's steps are apart: mirrors sent within
  // milliseconds of each other are dated by when the server got them, and those may come in either order.
  const stored = (n: number) =>
    expect.poll(async () => (await cartEvents()).filter((e) => e.sources.length === 2).length).toBe(n);
  await stored(1);

  const field = page.getByRole('spinbutton', { name: `Quantity of ${balm.product.name}, ${balm.variant.name}` });
  // As a shopper types it over the 2: "1" (a quantity already, the cart follows), then "12".
  await field.selectText();
  await field.pressSequentially('12');
  await expect(page.getByRole('link', { name: 'Cart, 12 items' })).toBeVisible();
  await field.press('Tab');
  await stored(2);
  await page.getByRole('button', { name: `Decrease quantity of ${balm.product.name}, ${balm.variant.name}` }).click();
  await expect(page.getByRole('link', { name: 'Cart, 11 items' })).toBeVisible();
  await stored(3);
  await page.getByRole('button', { name: `Remove ${balm.product.name}, ${balm.variant.name}` }).click();
  await expect(page.getByRole('heading', { name: 'Your cart is empty' })).toBeVisible();

  // The typing stopped at "1" on its way: had it been tracked, a Removed from Cart of 1 would be among these.
  const line = { sku: balm.variant.sku, variant_id: balm.variant.id };
  const inCart = (quantity: number) => (quantity ? [expect.objectContaining({ ...line, quantity })] : []);
  await expect
    .poll(async () =>
      (await cartEvents()).map((e) => ({ name: e.name, properties: e.properties, sources: e.sources.toSorted() })),
    )
    .toEqual(
      [
        {
          name: 'Added to Cart',
          properties: expect.objectContaining({ added: { ...line, quantity: 2 }, items: inCart(2) }),
        },
        {
          name: 'Added to Cart',
          properties: expect.objectContaining({ added: { ...line, quantity: 10 }, items: inCart(12) }),
        },
        {
          name: 'Removed from Cart',
          properties: expect.objectContaining({ removed: { ...line, quantity: 1 }, items: inCart(11) }),
        },
        {
          name: 'Removed from Cart',
          properties: expect.objectContaining({ removed: { ...line, quantity: 11 }, items: inCart(0) }),
        },
      ].map((expected) => ({ ...expected, sources: ['client', 'server'] })),
    );
});
