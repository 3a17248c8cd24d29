import { expect, test, type Page } from '@playwright/test';
import { queryShopDb, seedCart, uniqueEmail } from './support/shop';

const popup = (page: Page) => page.getByRole('dialog', { name: 'Get 10% off your first order' });

/** Waits until the page is hydrated: the header's cart link only gets its count label on the client. */
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
 * On a hydrated page, tries exit intent (which opens the popup at once when it is allowed) and lets React
 * render, so "nothing appeared" is an answer rather than a race.
 */
async function expectNoPopup(page: Page, because?: string) {
  await hydrated(page);
  await exitThroughTop(page);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await expect(page.getByRole('dialog'), because).toHaveCount(0);
}

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
  await expectNoPopup(page);
});

test('opens on exit intent, keeps focus inside, closes on Escape and hands focus back', async ({ page }) => {
  await useDelay(page, 600_000);
  await page.goto('/');
  await hydrated(page);
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
  await expectNoPopup(page);
});

test('stays away from checkout and account pages', async ({ page }) => {
  await useDelay(page, 0);
  await seedCart(page, [{ sku: 'GL-CLN-GEL-150', quantity: 1 }]);
  for (const path of ['/checkout', '/account/login', '/account/signup']) {
    await page.goto(path);
    await expectNoPopup(page, path);
  }
  // The same visitor still gets it on a shopping page: the pages above were skipped, not the visitor.
  await page.goto('/');
  await expect(popup(page)).toBeVisible();
});
