import { type Locator, type Page } from '@playwright/test';
import { expect, test } from './support/test';
import { queryShopDb, seedCart, uniqueEmail } from './support/shop';

const popup = (page: Page) => page.getByRole('dialog', { name: 'Get 10% off your first order' });

/**
 * Waits until the page is hydrated: the header's cart link only gets its count label on the client, once the
 * cart store has loaded, which the cart hydrator starts in the same effects pass as the popup's.
 */
async function hydrated(page: Page) {
  await expect(page.getByRole('link', { name: /^Cart, \d+ items?$/ })).toBeVisible();
}

/** The pointer leaves the window through the top edge, towards the tabs. */
async function exitThroughTop(page: Page) {
  await page.mouse.move(300, 200);
  await page.mouse.move(300, 0, { steps: 2 });
  await page.mouse.move(300, -20);
}

/**
 * "No popup on this page", as an answer rather than a race. On the hydrated page (the popup's effect has run),
 * waits until its delay timer has fired (a 0 ms timer set after it fires after it) and tries exit intent; then
 * leaves through `link`, a client-side navigation, and waits for the page it leads to. React renders a
 * navigation (a transition) after every update scheduled before it, so a popup triggered here would be open by
 * then. `link` must lead to a page where the popup may not open either.
 */
async function expectNoPopup(page: Page, link: Locator, arrivesAt: RegExp, because: string) {
  await hydrated(page);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  await exitThroughTop(page);
  await expect(page.getByRole('dialog'), because).toHaveCount(0);
  await link.click();
  await expect(page).toHaveURL(arrivesAt);
  await expect(page.getByRole('dialog'), because).toHaveCount(0);
}

const quizLink = (page: Page) => page.getByRole('banner').getByRole('link', { name: 'Skin quiz' });

const useDelay = (page: Page, ms: number) =>
  page.addInitScript((v) => localStorage.setItem('glowlab-popup-delay-ms', v), String(ms));

test('appears after the delay, checks the email, captures it and never comes back', async ({ page }) => {
  await useDelay(page, 0);
  await page.goto('/');
  const dialog = popup(page);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Email')).toBeFocused();

  await dialog.getByRole('button', { name: 'Get my code' }).click();
  await expect(dialog.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Email')).toHaveAccessibleDescription('Enter your email address.');

  const email = uniqueEmail('popup');
  await dialog.getByLabel('Email').fill(email.toUpperCase());
  await dialog.getByRole('button', { name: 'Get my code' }).click();
  const thanks = page.getByRole('dialog', { name: 'You are on the list' });
  await expect(thanks.getByRole('button', { name: 'Continue shopping' })).toBeFocused();
  expect(queryShopDb('select id, acquisition_source from customers where email = ?', email)).toEqual([
    { id: expect.stringMatching(/^cus_/), acquisition_source: 'popup' },
  ]);
  await thanks.getByRole('button', { name: 'Continue shopping' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.reload();
  await expectNoPopup(page, quizLink(page), /\/quiz$/, 'after subscribing');
});

/**
 * Resolves once the popup is listening on this page. Its code loads after hydration (React.lazy), so a hydrated
 * page may not have it yet; its effect first reads whether this visitor saw it, then arms the timer and the
 * exit-intent listener in the same task. The init script marks that read.
 */
async function popupArmed(page: Page) {
  await page.waitForFunction(() => (window as { __popupChecked?: boolean }).__popupChecked === true);
}
const markPopupChecks = (page: Page) =>
  page.addInitScript((key) => {
    const getItem = Storage.prototype.getItem;
    Storage.prototype.getItem = function (this: Storage, name: string) {
      if (name === key) (window as { __popupChecked?: boolean }).__popupChecked = true;
      return getItem.call(this, name);
    };
  }, 'glowlab-popup-dismissed');

test('opens on exit intent, keeps focus inside, closes on Escape and hands focus back', async ({ page }) => {
  await useDelay(page, 600_000);
  await markPopupChecks(page);
  await page.goto('/');
  await hydrated(page);
  await popupArmed(page);
  const account = page.getByRole('banner').getByRole('link', { name: 'Account' });
  await account.focus();

  await exitThroughTop(page);
  const dialog = popup(page);
  await expect(dialog).toBeVisible();
  // Focus order email → submit → close, wrapping around at both ends.
  const email = dialog.getByLabel('Email');
  const close = dialog.getByRole('button', { name: 'Close' });
  await expect(email).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(email).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(close).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(email).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(account).toBeFocused();

  // Dismissed is remembered, like a subscription.
  await page.goto('/collections');
  await expectNoPopup(page, quizLink(page), /\/quiz$/, 'after dismissing');
});

test('stays away from checkout and account pages, and the same visitor gets it on a shopping page', async ({
  page,
}) => {
  await useDelay(page, 0);
  await seedCart(page, [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]);
  await page.goto('/checkout');
  // One visit, from page to page by client-side links, each one the marker for the page before.
  const header = page.getByRole('banner');
  await expectNoPopup(page, header.getByRole('link', { name: 'Account' }), /\/account\/login$/, '/checkout');
  const main = page.getByRole('main');
  await expectNoPopup(
    page,
    main.getByRole('link', { name: 'Create an account' }),
    /\/account\/signup$/,
    '/account/login',
  );
  await expectNoPopup(page, main.getByRole('link', { name: 'Log in' }), /\/account\/login$/, '/account/signup');
  // The same page, still armed, opens it on a shopping page: the pages above were skipped, not the visitor.
  await header.getByRole('link', { name: 'Glowlab' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(popup(page)).toBeVisible();
});
