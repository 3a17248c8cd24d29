import type { Page } from '@playwright/test';

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
