import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { SPENT_CODE } from '@/lib/shop/domain/welcome-code';
import { logIn, signUp } from './support/accounts';
import { loseNextPlaceOrderAnswer, summaryTotal } from './support/checkout-money';
import { shopperContext } from './support/tracking';
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

// A checkout page places the order for the account it showed: signing in or out in another tab of the same browser
// since it opened makes Place order place nothing and say so, keeping what was typed; the page then shows the
// account signed in now, and the next press orders for it.
test.beforeEach(async ({ page }) => skipEmailPopup(page));

/** The checkout form's alert (the page has another, Next's route announcer). */
const formAlert = (page: Page) => page.locator('[data-form-alert]');

const cart = [{ sku: 'GL-SER-NIA-15', quantity: 1 }];

/** Orders stored for any of these emails: who they went to, and whether they were placed signed in. */
const ordersTo = (...emails: string[]) =>
  queryShopDb<{ email: string; placed_signed_in: number }>(
    `select email, placed_signed_in from orders where email in (${emails.map(() => '?').join(', ')}) order by order_number`,
    ...emails,
  );

async function openCheckout(page: Page) {
  await seedCart(page, cart);
  await page.goto('/checkout');
  await expect(page.getByRole('button', { name: 'Place order' })).toBeVisible();
}

test('a guest checkout does not become the order of an account signed up in another tab', async ({ page, context }) => {
  await openCheckout(page);
  const guest = address(uniqueEmail('tab-guest'));
  await fillCheckout(page, guest);
  await expect(summaryTotal(page)).toBeVisible();

  const emailA = uniqueEmail('tab-signup');
  const other = await context.newPage();
  await signUp(other, emailA, 'Ada Account');
  await expect(other).toHaveURL(/\/account$/);

  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(formAlert(page)).toHaveText(
    `You signed in as ${emailA} in another tab since this page opened, so no order was placed. Your order now goes ` +
      'to that account: check your details, then place your order.',
  );
  expect(ordersTo(guest.email!, emailA)).toEqual([]);
  // The address as typed; the page now shows the account (its email, where a signed-in order goes).
  await expectCheckoutFilled(page, { ...guest, email: undefined });
  await expect(page.getByLabel('Email')).toHaveValue(emailA);
  await expect(page.getByLabel('Email')).toHaveAttribute('readonly', '');
  await expect(page.getByText('Orders placed while signed in go to your account.')).toBeVisible();

  await expect(summaryTotal(page)).toBeVisible();
  await placeOrder(page);
  expect(ordersTo(guest.email!, emailA)).toEqual([{ email: emailA, placed_signed_in: 1 }]);
});

test('a signed-in checkout whose session ended elsewhere is not placed as theirs, then goes as a guest order', async ({
  page,
  context,
}) => {
  const emailA = uniqueEmail('tab-signed-in');
  await signUp(page, emailA, 'Ada Account');
  await expect(page).toHaveURL(/\/account$/);
  await openCheckout(page);
  await expect(page.getByText('Orders placed while signed in go to your account.')).toBeVisible();
  const shipTo = { ...address(emailA), email: undefined };
  await fillCheckout(page, shipTo);
  await expect(summaryTotal(page)).toBeVisible();

  // The session ends in another tab. (Log out there also empties this browser's cart, which takes this form away;
  // a session that expired or was removed does not.)
  await context.clearCookies({ name: 'glowlab_session' });

  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(formAlert(page)).toHaveText(
    'You signed out (in another tab, or your session ended) since this page opened, so no order was placed. Your ' +
      'order is now a guest order: check your details, then place your order.',
  );
  expect(ordersTo(emailA)).toEqual([]);
  await expectCheckoutFilled(page, shipTo);
  // A guest's form: the email can be changed, and the order confirmation goes to it.
  await expect(page.getByText('We send your order confirmation here.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(emailA);
  const guestEmail = uniqueEmail('tab-now-guest');
  await page.getByLabel('Email').fill(guestEmail);

  await expect(summaryTotal(page)).toBeVisible();
  await placeOrder(page);
  expect(ordersTo(emailA, guestEmail)).toEqual([{ email: guestEmail, placed_signed_in: 0 }]);
});

test('a code applied as a guest, then an account that has ordered signed in elsewhere: the next press orders at the total shown', async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  // B has an account and an order (made on another device).
  const emailB = uniqueEmail('tab-ordered');
  const elsewhere = await shopperContext(browser, baseURL!);
  const device = await elsewhere.newPage();
  await signUp(device, emailB, 'Bea Ordered');
  await expect(device).toHaveURL(/\/account$/);
  await openCheckout(device);
  await fillCheckout(device, { ...address(emailB), email: undefined });
  await expect(summaryTotal(device)).toBeVisible();
  await placeOrder(device);
  await elsewhere.close();

  await openCheckout(page);
  const guest = address(uniqueEmail('tab-code-guest'));
  await fillCheckout(page, guest);
  const code = page.getByRole('textbox', { name: 'Discount code' });
  await code.fill('WELCOME10');
  await code.press('Enter');
  await expect(code).toHaveAccessibleDescription('WELCOME10 applied: see the summary.');

  const other = await context.newPage();
  await logIn(other, emailB);
  await expect(other).toHaveURL(/\/account$/);

  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(formAlert(page)).toContainText(`You signed in as ${emailB} in another tab`);
  // The total is asked again for B: the code is for a first order, and B has ordered.
  await expect(page.getByText(SPENT_CODE)).toBeVisible();
  const shown = (await summaryTotal(page).textContent())!;
  // Checked for B's account already: the press orders at that total (it said the code was checked for the guest's
  // email and placed nothing, although B's account, not an email, is what the code is checked for).
  const orderId = await placeOrder(page);
  const [order] = queryShopDb<{ email: string; total_cents: number; discount_cents: number }>(
    'select email, total_cents, discount_cents from orders where id = ?',
    orderId,
  );
  expect(order).toEqual({
    email: emailB,
    total_cents: Math.round(Number(shown.replace('$', '')) * 100),
    discount_cents: 0,
  });
});

test('an order placed signed in whose answer was lost is not shown to the next account: its retry is a new order', async ({
  page,
  context,
}) => {
  const emailA = uniqueEmail('tab-lost-a');
  await signUp(page, emailA, 'Ada Account');
  await expect(page).toHaveURL(/\/account$/);
  await openCheckout(page);
  const shipTo = { ...address(emailA), email: undefined };
  await fillCheckout(page, shipTo);
  await expect(summaryTotal(page)).toBeVisible();
  await loseNextPlaceOrderAnswer(page);
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(formAlert(page).filter({ hasText: 'could not reach the shop' })).toBeVisible();
  expect(ordersTo(emailA)).toEqual([{ email: emailA, placed_signed_in: 1 }]);

  // Ada's session ends; Bea signs up in another tab of this browser. This tab still holds Ada's checkout attempt.
  await context.clearCookies({ name: 'glowlab_session' });
  const emailB = uniqueEmail('tab-lost-b');
  const other = await context.newPage();
  await signUp(other, emailB, 'Bea Account');
  await expect(other).toHaveURL(/\/account$/);

  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(formAlert(page)).toHaveText(
    'An order was already placed from this page while signed in to an account that is not signed in now, so no new ' +
      'order was placed. Sign in to that account to see it in your orders, or check your details, then place your ' +
      'order.',
  );
  // Nothing of Ada's order: no link to it, no confirmation page.
  await expect(page.getByRole('link', { name: /View order/ })).toHaveCount(0);
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByLabel('Email')).toHaveValue(emailB);

  // The next press is a new attempt, Bea's order.
  await placeOrder(page);
  expect(ordersTo(emailA, emailB)).toEqual([
    { email: emailA, placed_signed_in: 1 },
    { email: emailB, placed_signed_in: 1 },
  ]);
});
