import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { uniqueEmail } from './shop';
import { expect } from './test';
import { shopperContext, visit, waitForPerson } from './tracking';

export const PASSWORD = 'correct horse battery';

export async function signUp(page: Page, email: string, name = 'Grace Hopper', password = PASSWORD) {
  await page.goto('/account/signup');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function logIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/account/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/**
 * A shared device: B has an account (made on another device); on this one a login tab is opened (and tracking there)
 * before A signs up in another tab, since the login page sends a signed-in shopper to their account. `fillLoginAsB`
 * types B's details into the login tab, for the test to press Log in when it wants.
 */
export async function sharedDevice(browser: Browser, request: APIRequestContext, baseURL: string, who: string) {
  const [emailA, emailB] = [uniqueEmail(`${who}-a`), uniqueEmail(`${who}-b`)];
  const elsewhere = await shopperContext(browser, baseURL);
  await signUp(await elsewhere.newPage(), emailB, 'Person B');
  const personB = await waitForPerson(request, emailB);
  await elsewhere.close();

  const device = await shopperContext(browser, baseURL);
  const loginTab = await device.newPage();
  await visit(loginTab, '/account/login');
  const page = await device.newPage();
  await signUp(page, emailA, 'Person A');
  await expect(page).toHaveURL(/\/account$/);
  const fillLoginAsB = async () => {
    await loginTab.getByLabel('Email').fill(emailB);
    await loginTab.getByLabel('Password').fill(PASSWORD);
  };
  return { emailA, emailB, personB, device, loginTab, page, fillLoginAsB };
}
