import { expect, test } from './support/test';
import { findVariantBySku } from '@/lib/shop/domain/catalog';
import { sharedDevice } from './support/accounts';
import { address, fillCheckout, placeOrder, uniqueEmail } from './support/shop';
import { named, personOf, shopperContext, timelineOf, waitForPerson } from './support/tracking';

const serum = findVariantBySku('GL-SER-NIA-15')!;
const cream = findVariantBySku('GL-MOI-BAR-50')!;

/** The skus of a cart event's `items`, or of the `cart` person attribute. */
const skusOf = (block: unknown) =>
  ((block as { items?: { sku: string }[] } | null)?.items ?? []).map((i) => i.sku).toSorted();

// A shared device where A is signed in and B signs in from a tab opened before (no logout between): a switch of
// accounts, which must leave B with what a logout then a login would — not A's cart, in the browser or in B's profile.
test('signing in as B while A is signed in on this browser does not hand A’s cart to B', async ({
  browser,
  request,
  baseURL,
}) => {
  const { emailA, emailB, personB, device, loginTab, page, fillLoginAsB } = await sharedDevice(
    browser,
    request,
    baseURL!,
    'switch',
  );
  await page.goto(`/products/${serum.product.handle}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  const personA = await waitForPerson(request, emailA);
  await expect.poll(async () => named(await timelineOf(request, personA.id), 'Added to Cart')).toHaveLength(1);

  await fillLoginAsB();
  await loginTab.getByRole('button', { name: 'Log in' }).click();
  await expect(loginTab).toHaveURL(/\/account$/);
  await expect(loginTab.getByText(`Signed in as ${emailB}`)).toBeVisible();

  // The login's identify is durable before the action answers: B's profile holds no cart of A's.
  await expect.poll(async () => named(await timelineOf(request, personB.id), 'Logged In')).toHaveLength(1);
  expect(skusOf((await personOf(request, personB.id)).traits.cart)).toEqual([]);
  // A was signed in here: the cart stays A's, to recover.
  expect(skusOf((await personOf(request, personA.id)).traits.cart)).toEqual([serum.variant.sku]);

  await loginTab.goto('/cart');
  await expect(loginTab.getByText('Your cart is empty')).toBeVisible();
  await loginTab.goto(`/products/${cream.product.handle}`);
  await loginTab.getByRole('button', { name: 'Add to cart' }).click();
  await expect
    .poll(async () => named(await timelineOf(request, personB.id), 'Added to Cart').map((e) => skusOf(e.properties)))
    .toEqual([[cream.variant.sku]]);
  // The `cart` attribute follows with the server's copy of the event, which may land after the browser's.
  await expect.poll(async () => skusOf((await personOf(request, personB.id)).traits.cart)).toEqual([cream.variant.sku]);
  await device.close();
});

// A shared device where A was known only by a guest order (no sign-in, no logout): B's adds go out as A's until B
// becomes known at checkout. Then the cart was B's, and B bought it: A must not keep it as a cart to recover (A's
// recovery email would list what B bought).
test('a guest order by B on a browser known as guest A leaves A no cart of B’s', async ({
  browser,
  request,
  baseURL,
}) => {
  const emailA = uniqueEmail('guest-a');
  const emailB = uniqueEmail('guest-b');
  const device = await shopperContext(browser, baseURL!);
  const page = await device.newPage();
  await page.goto(`/products/${serum.product.handle}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.goto('/checkout');
  await fillCheckout(page, address(emailA));
  await placeOrder(page);
  const personA = await waitForPerson(request, emailA);

  await page.goto(`/products/${cream.product.handle}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  // B's add went out as A's, with the cart attribute.
  await expect.poll(async () => skusOf((await personOf(request, personA.id)).traits.cart)).toEqual([cream.variant.sku]);
  await page.goto('/checkout');
  await fillCheckout(page, address(emailB));
  await placeOrder(page);
  const personB = await waitForPerson(request, emailB);

  await expect.poll(async () => (await personOf(request, personA.id)).traits.cart).toBeNull();
  await expect.poll(async () => named(await timelineOf(request, personB.id), 'Order Completed')).toHaveLength(1);
  await device.close();
});

// A browser known as P (an address left at checkout) places an order for C, a customer this browser is not (a gift,
// an address typed for someone else): the order is C's and identifies nobody here, but the cart it bought was P's
// `cart` attribute, and P would be sent a recovery email listing what was just bought.
test('an order for a customer this browser is not leaves the browser’s shopper no cart of what it bought', async ({
  browser,
  request,
  baseURL,
}) => {
  const emailP = uniqueEmail('known-p');
  const emailC = uniqueEmail('other-c');
  const elsewhere = await shopperContext(browser, baseURL!);
  const other = await elsewhere.newPage();
  await other.goto(`/products/${cream.product.handle}`);
  await other.getByRole('button', { name: 'Add to cart' }).click();
  await other.goto('/checkout');
  await fillCheckout(other, address(emailC));
  await waitForPerson(request, emailC);
  await elsewhere.close();

  const device = await shopperContext(browser, baseURL!);
  const page = await device.newPage();
  await page.goto(`/products/${serum.product.handle}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.goto('/checkout');
  await page.getByLabel('Email').fill(emailP);
  await page.getByLabel('Full name').focus();
  const personP = await waitForPerson(request, emailP);
  await expect.poll(async () => skusOf((await personOf(request, personP.id)).traits.cart)).toEqual([serum.variant.sku]);
  await fillCheckout(page, address(emailC));
  await placeOrder(page);

  const personC = await waitForPerson(request, emailC);
  await expect.poll(async () => named(await timelineOf(request, personC.id), 'Order Completed')).toHaveLength(1);
  await expect.poll(async () => (await personOf(request, personP.id)).traits.cart ?? null).toBeNull();
  await device.close();
});
