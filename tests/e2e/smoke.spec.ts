import { expect, test } from '@playwright/test';

test('the home page is served by the production build', async ({ page }) => {
  const res = await page.goto('/');
  expect(res?.status()).toBe(200);
  await expect(page).toHaveTitle(/Glowlab/);
});
