import { expect, test } from './support/test';
import { logIn, signUp } from './support/accounts';
import { address, fillCheckout, placeOrder, queryShopDb, seedCart, skipEmailPopup, uniqueEmail } from './support/shop';

test.beforeEach(async ({ page }) => skipEmailPopup(page));

const BAD_LOGIN = 'That email and password do not match an account. Check both and try again.';

const customersWithEmail = (email: string) =>
  queryShopDb<{ id: string; has_password: number }>(
    'select id, password_hash is not null as has_password from customers where email = ?',
    email,
  );

test('signup → logout → login → order while signed in → the account lists it', async ({ page }) => {
  const email = uniqueEmail('member');
  await signUp(page, email);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Hello, Grace Hopper' })).toBeVisible();
  await expect(page.getByText('No orders yet.')).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/account\/login$/);

  await logIn(page, email.toUpperCase());
  await expect(page.getByRole('heading', { level: 1, name: 'Hello, Grace Hopper' })).toBeVisible();

  const lines = [{ sku: 'GL-SER-HA-30', quantity: 3 }];
  await seedCart(page, lines);
  await page.goto('/checkout');
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Email')).toHaveAttribute('readonly', '');
  await fillCheckout(page, { ...address(email, 'JP'), email: undefined });
  const orderId = await placeOrder(page);
  const [{ order_number }] = queryShopDb<{ order_number: number }>(
    'select order_number from orders where id = ?',
    orderId,
  ) as [{ order_number: number }];

  await page.goto('/account');
  const orders = page.getByRole('list', { name: 'Your orders' });
  await expect(orders.getByRole('listitem')).toHaveCount(1);
  await expect(orders).toContainText(`Order GL-${order_number}`);
  await expect(orders.getByRole('link')).toHaveAttribute('href', `/orders/${orderId}`);
  // $26.00 × 3 = $78.00, Japan: $12.95 shipping (no free threshold), 10 % tax = $7.80.
  await expect(orders).toContainText('$98.75');
  // The signed-in owner can reopen it without the signed link.
  await orders.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: /Thank you/ })).toBeVisible();
});

test('guest checkout then signup with the same email keeps one customer id', async ({ page }) => {
  const email = uniqueEmail('guest');
  await seedCart(page, [{ sku: 'GL-CLN-OAT-150', quantity: 1 }]);
  await page.goto('/checkout');
  await fillCheckout(page, address(email));
  const orderId = await placeOrder(page);
  const [guest] = customersWithEmail(email);
  expect(guest).toMatchObject({ has_password: 0 });

  await signUp(page, `  ${email.toUpperCase()} `);
  await expect(page.getByRole('heading', { level: 1, name: 'Hello, Grace Hopper' })).toBeVisible();

  expect(customersWithEmail(email)).toEqual([{ id: guest!.id, has_password: 1 }]);
  expect(queryShopDb('select customer_id from orders where id = ?', orderId)).toEqual([{ customer_id: guest!.id }]);
  // Unverified claim: the guest order is not shown in the account (see lib/shop/server/orders.ts).
  await expect(page.getByText('No orders yet.')).toBeVisible();
});

test('a wrong password is refused without saying which part was wrong', async ({ page }) => {
  const email = uniqueEmail('wrongpw');
  await signUp(page, email);
  await expect(page).toHaveURL(/\/account$/);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);

  await logIn(page, email, 'not the password');
  // Printed once, beside the password (issue 8: no alert repeating a field's own error), which takes focus.
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(BAD_LOGIN);
  await expect(page.getByText(BAD_LOGIN)).toHaveCount(1);
  await expect(page.getByLabel('Password')).toBeFocused();
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page).toHaveURL(/\/account\/login$/);

  await logIn(page, uniqueEmail('nobody'), 'not the password');
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(BAD_LOGIN);
});

test('signing up with an email that already has an account says to log in instead', async ({ page, browser }) => {
  const email = uniqueEmail('taken');
  await signUp(page, email);
  await expect(page).toHaveURL(/\/account$/);

  const other = await browser.newPage();
  await skipEmailPopup(other);
  await signUp(other, email, 'Someone Else', 'another password');
  await expect(other.getByLabel('Email')).toHaveAccessibleDescription(
    'An account with this email already exists. Log in instead.',
  );
  await expect(other.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(other.getByRole('link', { name: 'Log in' })).toBeVisible();
  await other.close();
  expect(customersWithEmail(email)).toHaveLength(1);
});

test('signup asks for a real email and a long enough password', async ({ page }) => {
  await signUp(page, 'nope', 'Al', 'short');
  await expect(page.getByLabel('Email')).toBeFocused();
  await expect(page.getByLabel('Email')).toHaveAccessibleDescription(/valid email address/);
  await expect(page.getByLabel('Password')).toHaveAccessibleDescription(
    /At least 8 characters.*Use at least 8 characters/,
  );
});

test('logging out empties the cart: the next shopper on the device neither sees it nor tracks it', async ({ page }) => {
  await signUp(page, uniqueEmail('cart-logout'));
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/products/niacinamide-serum');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: /Cart, 1 item/ })).toBeVisible();
  await page.goto('/account');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.goto('/cart');
  await expect(page.getByRole('heading', { name: 'Your cart is empty' })).toBeVisible();
  // The next shopper's first cart event holds their product alone, not the previous person's cart beside it.
  await page.goto('/products/barrier-repair-cream');
  const added = page.waitForRequest(
    (r) => r.url().endsWith('/api/cdp/v1/t') && (r.postData() ?? '').includes('"event":"Added to Cart"'),
  );
  await page.getByRole('button', { name: 'Add to cart' }).click();
  const { properties } = JSON.parse((await added).postData()!) as { properties: { items: { sku: string }[] } };
  expect(properties.items.map((i) => i.sku)).toEqual(['GL-MOI-BAR-50']);
});

test('logging out in one tab: a tab left open goes on anonymous and does not bring the person back', async ({
  page,
  context,
}) => {
  await signUp(page, uniqueEmail('two-tabs'));
  await expect(page).toHaveURL(/\/account$/);
  const customerId = JSON.parse((await page.evaluate(() => localStorage.getItem('ajs_user_id')))!) as string;
  const other = await context.newPage();
  const called = (target: typeof page) =>
    target.waitForRequest((r) => r.url().endsWith('/api/cdp/v1/p') && r.method() === 'POST');
  const loaded = called(other);
  await other.goto('/products/barrier-repair-cream');
  // The open tab's SDK is running, as this person.
  expect(JSON.parse((await loaded).postData()!)).toMatchObject({ userId: customerId });

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('ajs_user_id'))).not.toContain(customerId);
  const fresh = (await context.cookies()).find((c) => c.name === 'ajs_anonymous_id')!.value;

  const added = other.waitForRequest(
    (r) => r.url().endsWith('/api/cdp/v1/t') && (r.postData() ?? '').includes('"event":"Added to Cart"'),
  );
  await other.getByRole('button', { name: 'Add to cart' }).click();
  const call = JSON.parse((await added).postData()!) as { userId?: string | null; anonymousId: string };
  expect(call.userId ?? null).toBeNull();
  expect(call.anonymousId).toBe(fresh);
  // Nor is the person written back into storage, where the tab they logged out in (its page still loaded) would
  // read them.
  const back = called(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link').first().click();
  expect(JSON.parse((await back).postData()!)).not.toHaveProperty('userId', customerId);
  expect(await page.evaluate(() => localStorage.getItem('ajs_user_id'))).not.toContain(customerId);
  expect((await context.cookies()).find((c) => c.name === 'ajs_user_id')?.value ?? '').not.toContain(customerId);
});
