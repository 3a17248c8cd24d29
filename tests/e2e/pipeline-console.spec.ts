import { expect, test } from './support/test';
import { postStitchedVisitor } from './support/tracking';

// The ops console in a real browser: token login by URL, the people list and a person's stitched timeline.
const TOKEN = process.env.E2E_OPS_TOKEN!;

test('the console asks for the token, then shows the stitched timeline with device and source badges', async ({
  page,
  request,
}) => {
  const { userId, email } = await postStitchedVisitor(request);

  await page.goto('/ops');
  await expect(page).toHaveURL(/\/ops\/login$/);
  await page.getByLabel('Ops token').fill('wrong-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That token is not right' })).toBeVisible();

  await page.goto(`/ops?token=${encodeURIComponent(TOKEN)}`);
  await expect(page).toHaveURL(/\/ops$/);
  await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
  await page.getByLabel('Search people by email or id').fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: email }).click();

  await expect(page.getByRole('heading', { name: email })).toBeVisible();
  const quiz = page.getByTestId('timeline-event').filter({ hasText: 'Quiz Started' });
  await expect(quiz).toContainText('anonymous → stitched');
  await expect(quiz).toContainText('client');
  await quiz.getByRole('link', { name: /Device 1/ }).click();
  await expect(page.getByRole('heading', { name: 'Anonymous visitor' })).toBeVisible();
  await expect(page.getByText(`Linked to ${userId}`)).toBeVisible();
});
