import { expect, test } from './support/test';
import { signUp } from './support/accounts';
import { summaryTotal } from './support/checkout-money';
import {
  address,
  expectCheckoutFilled,
  fillCheckout,
  placeOrder,
  queryShopDb,
  seedCart,
  skipEmailPopup,
  uniqueEmail,
} from './support/shop';

test.beforeEach(async ({ page }) => skipEmailPopup(page));

test('two sizes from the product page → guest checkout → confirmation shows the server-computed total', async ({
  page,
}) => {
  await page.goto('/products/gentle-gel-cleanser');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('radio', { name: '300 ml' }).check();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: 'Cart, 2 items' })).toBeVisible();

  await page.goto('/checkout');
  // Written out, not asked of quoteOrder: $18.00 + $30.00 = $48.00. US: under the $50 threshold, so $5.95
  // shipping, 7.25 % tax = $3.48. Canada: $9.95 shipping (free from $75), 13 % tax = $6.24.
  const summary = page.getByRole('region', { name: 'Order summary' });
  // The quote follows the country: US first (the default), then Canada.
  await expect(summary.getByTestId('order-total')).toHaveText('$57.43');
  const email = uniqueEmail();
  await fillCheckout(page, address(email, 'CA'));
  await expect(summary.getByTestId('order-total')).toHaveText('$64.19');

  const orderId = await placeOrder(page);
  const confirmation = page.getByRole('region', { name: 'Order summary' });
  await expect(confirmation.getByTestId('order-total')).toHaveText('$64.19');
  await expect(confirmation).toContainText('$48.00');
  await expect(confirmation).toContainText('$9.95');
  await expect(confirmation).toContainText('$6.24');
  await expect(confirmation.getByRole('listitem')).toHaveCount(2);

  // Stored once, under the customer the email resolves to, and the cart is emptied.
  const [order] = queryShopDb<{ total_cents: number; email: string; customer_id: string }>(
    'select total_cents, email, customer_id from orders where id = ?',
    orderId,
  );
  expect(order).toMatchObject({ total_cents: 6419, email });
  expect(order!.customer_id).toMatch(/^cus_[\w-]{20,}$/);
  await expect(page.getByRole('link', { name: 'Cart, 0 items' })).toBeVisible();
});

test('a tampered cart and tampered request still pay catalogue prices', async ({ page }) => {
  await seedCart(page, [
    { sku: 'GL-SER-NIA-30', quantity: 2, price: 1, unitPriceCents: 1 },
    { sku: 'GL-MOI-BAR-50', quantity: 1, price: 1, unitPriceCents: 1 },
  ]);
  // Also rewrite the server-action request itself, as a hostile client could, adding price fields.
  let tampered = false;
  await page.route('**/checkout', async (route) => {
    const body = route.request().postData();
    // Only the place-order call carries both the email and the lines (the quote and email capture do not).
    if (route.request().method() !== 'POST' || !body?.includes('"email"') || !body.includes('"lines"'))
      return route.continue();
    const args = JSON.parse(body) as [{ lines: Record<string, unknown>[] } & Record<string, unknown>];
    args[0].lines = args[0].lines.map((l) => ({ ...l, price: 1, unitPriceCents: 1, lineTotalCents: 1 }));
    Object.assign(args[0], { totalCents: 1, subtotalCents: 1, taxCents: 0, shippingCents: 0 });
    tampered = true;
    await route.continue({ postData: JSON.stringify(args) });
  });

  await page.goto('/checkout');
  await fillCheckout(page, address(uniqueEmail('tamper'), 'DE'));
  // $24.00 × 2 + $28.00 = $76.00: over Germany's $60 threshold, so no shipping; 19 % tax = $14.44.
  const orderId = await placeOrder(page);
  expect(tampered).toBe(true);
  await expect(page.getByTestId('order-total')).toHaveText('$90.44');
  const lines = queryShopDb<{ sku: string; unit_price_cents: number }>(
    'select sku, unit_price_cents from order_lines where order_id = ? order by id',
    orderId,
  );
  expect(lines).toEqual([
    { sku: 'GL-SER-NIA-30', unit_price_cents: 2400 },
    { sku: 'GL-MOI-BAR-50', unit_price_cents: 2800 },
  ]);
});

test('missing details are reported beside their fields and focus moves to the first one', async ({ page }) => {
  await seedCart(page, [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]);
  await page.goto('/checkout');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByRole('button', { name: 'Place order' }).click();

  await expect(page.getByRole('alert').filter({ hasText: 'Please fix the' })).toBeVisible();
  const email = page.getByLabel('Email');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toBeFocused();
  await expect(email).toHaveAccessibleDescription(/valid email address/);
  await expect(email).toHaveValue('not-an-email');
  await expect(page.getByLabel('City')).toHaveAccessibleDescription('Enter your city.');
});

test('a reload in the middle of checkout keeps what this tab typed; another tab starts with an empty form', async ({
  page,
  context,
}) => {
  await seedCart(page, [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]);
  await page.goto('/checkout');
  const typed = address(uniqueEmail('reload-mid-checkout'), 'US');
  await fillCheckout(page, typed);
  await page.reload();
  await expectCheckoutFilled(page, typed);

  // The draft is this tab's (sessionStorage), like its checkout attempt.
  const other = await context.newPage();
  await other.goto('/checkout');
  await expect(other.getByLabel('Street address')).toHaveValue('');
  await expect(other.getByLabel('Country')).toHaveValue('US');
});

test('logging out forgets the address typed at checkout in this tab: the next shopper on the device starts empty', async ({
  page,
}) => {
  await signUp(page, uniqueEmail('draft-logout'));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
  await seedCart(page, [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]);
  await page.goto('/checkout');
  await page.getByLabel('Street address').fill('1 Private Lane');
  await page.goto('/account');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  // Logging out empties the cart too (account.spec.ts): the next shopper fills their own.
  await page.goto('/products/gentle-gel-cleanser');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.goto('/checkout');
  await expect(page.getByLabel('Street address')).toHaveValue('');
});

test('an empty cart gets a friendly empty state with a way back to the shop', async ({ page }) => {
  await page.goto('/checkout');
  await expect(page.getByRole('heading', { name: 'Your cart is empty' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Shop skincare' })).toHaveAttribute('href', '/');
  await expect(page.getByRole('button', { name: 'Place order' })).toHaveCount(0);
});

test('an order page needs the buyer’s signature: none or a bad one is a 404', async ({ page }) => {
  await seedCart(page, [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]);
  await page.goto('/checkout');
  await fillCheckout(page, address(uniqueEmail('sig')));
  const orderId = await placeOrder(page);
  const signed = new URL(page.url());

  expect((await page.goto(`/orders/${orderId}`))?.status()).toBe(404);
  expect((await page.goto(`/orders/${orderId}?sig=${signed.searchParams.get('sig')!.slice(0, -2)}xx`))?.status()).toBe(
    404,
  );
  expect(
    (await page.goto(`/orders/ord_doesnotexist000000000000?sig=${signed.searchParams.get('sig')}`))?.status(),
  ).toBe(404);
  expect((await page.goto(signed.pathname + signed.search))?.status()).toBe(200);
});

test("no analytics call carries the order link's signature: not its page call, its reload, nor the next page's referrer", async ({
  page,
}) => {
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/cdp/v1/')) sent.push(r.postData() ?? '');
  });
  await seedCart(page, [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]);
  await page.goto('/checkout');
  await fillCheckout(page, address(uniqueEmail('sig-private')));
  await placeOrder(page);
  const link = new URL(page.url());
  const sig = link.searchParams.get('sig')!;
  const pageCallOf = (path: string) =>
    page.waitForRequest((r) => r.url().endsWith('/api/cdp/v1/p') && (r.postData() ?? '').includes(`"path":"${path}"`));

  // The link opened again (from the email, a bookmark): a full load, whose page call the SDK builds from location.
  const reloaded = pageCallOf(link.pathname);
  await page.reload();
  const call = JSON.parse((await reloaded).postData()!) as { properties: { url: string; search: string } };
  expect(call.properties).toMatchObject({
    search: '?sig=REDACTED',
    url: `${link.origin}${link.pathname}?sig=REDACTED`,
  });
  // A full load from there: the browser's referrer is the signed link (Referrer-Policy: same-origin).
  const next = pageCallOf('/collections');
  // A document navigation, not the router's: only a full load takes the browser's referrer.
  await page.evaluate(() => window.location.assign(new URL('/collections', window.location.href).href));
  expect(JSON.parse((await next).postData()!)).toMatchObject({
    context: { page: { referrer: `${link.origin}${link.pathname}?sig=REDACTED` } },
  });
  expect(sent.length).toBeGreaterThan(2);
  expect(sent.filter((body) => body.includes(sig))).toEqual([]);
});

test('an order placed, then a reload before its confirmation page came: the empty checkout names the order', async ({
  page,
}) => {
  await seedCart(page, [{ sku: 'GL-SER-NIA-15', quantity: 1 }]);
  await page.goto('/checkout');
  const email = uniqueEmail('reload-placed');
  await fillCheckout(page, address(email));
  await expect(summaryTotal(page)).toBeVisible();
  // A slow network: the confirmation page does not come, and the shopper reloads.
  await page.route('**/orders/**', () => {});
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Order placed. Taking you to your' })).toBeVisible();
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.reload();

  const [order] = queryShopDb<{ id: string; order_number: number }>(
    'select id, order_number from orders where email = ?',
    email,
  );
  await expect(page.getByRole('heading', { name: 'Your cart is empty' })).toBeVisible();
  // It said nothing of the order: the cart it emptied was all the page showed.
  const notice = page.getByRole('status').filter({ hasText: 'was placed.' });
  await expect(notice).toHaveText(new RegExp(`^Your order GL-${order!.order_number} was placed\\. View order GL-`));
  await notice.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/orders/${order!.id}\\?sig=`));
  await expect(page.getByRole('heading', { level: 1, name: /Thank you/ })).toBeVisible();
});
