import crypto from 'node:crypto';
import { mintIdentitySignature } from '@/lib/tracking/identity-signature';
import { expect, test } from './support/test';

// The ops console in a real browser: token login by URL, the people list and a person's stitched timeline.
const WRITE_KEY = process.env.E2E_WRITE_KEY!;
const TOKEN = process.env.E2E_OPS_TOKEN!;

test('the console asks for the token, then shows the stitched timeline with device and source badges', async ({
  page,
  request,
}) => {
  const anonymousId = crypto.randomUUID();
  const userId = `cus_${crypto.randomUUID().slice(0, 12)}`;
  const email = `${userId}@example.com`;
  const call = (fields: Record<string, unknown>) => ({
    messageId: crypto.randomUUID(),
    anonymousId,
    context: { library: { name: 'analytics.js' } },
    ...fields,
  });
  const res = await request.post('/api/cdp/v1/b', {
    headers: { 'Content-Type': 'text/plain' },
    data: JSON.stringify({
      writeKey: WRITE_KEY,
      batch: [
        call({ type: 'track', event: 'Quiz Started', properties: { quiz_id: 'skin', schema_version: 1 } }),
        // As the shop's browser sends it: with the signature its server minted for this user and device.
        call({
          type: 'identify',
          userId,
          traits: { email },
          context: {
            library: { name: 'analytics.js' },
            identity_signature: await mintIdentitySignature(process.env.E2E_SERVER_WRITE_KEY!, {
              userId,
              anonymousId,
              email,
            }),
          },
        }),
      ],
    }),
  });
  expect(res.status()).toBe(200);

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
