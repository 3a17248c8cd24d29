import crypto from 'node:crypto';
import { anonymousVisitorsResponse } from '@/lib/cdp/ops/contract';
import { expect, test } from './support/test';
import { ops, postStitchedVisitor } from './support/tracking';

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

  // An unknown id of every kind says so inside the console (its nav, no shop chrome), with a real 404: the pages by
  // id are outside the lists' loading.tsx, which would have sent a 200 with its skeleton first.
  for (const path of [
    '/ops/people/no-such-person',
    '/ops/segments/no-such-segment',
    '/ops/outbox/no-such-message',
    `/ops/anonymous/${crypto.randomUUID()}`,
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to the console' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Privacy choices' })).toHaveCount(0);
  }
});

test('anonymous visitors page by cursor: the API (a forged cursor is a 400) and the console’s next link', async ({
  page,
  request,
}) => {
  // 21 new anonymous devices: more than one of the console's pages of 20, whatever else the server holds.
  const posted = await request.post('/api/cdp/v1/b', {
    headers: { 'Content-Type': 'text/plain' },
    data: JSON.stringify({
      writeKey: process.env.E2E_WRITE_KEY,
      batch: Array.from({ length: 21 }, () => ({
        type: 'track',
        event: 'Quiz Started',
        properties: { quiz_id: 'skin', schema_version: 1 },
        messageId: crypto.randomUUID(),
        anonymousId: crypto.randomUUID(),
        context: { library: { name: 'analytics.js' } },
      })),
    }),
  });
  expect(posted.status()).toBe(200);

  const first = await ops(request, 'anonymous?limit=20', anonymousVisitorsResponse);
  expect(first.visitors).toHaveLength(20);
  const next = await ops(
    request,
    `anonymous?limit=20&cursor=${encodeURIComponent(first.next_cursor!)}`,
    anonymousVisitorsResponse,
  );
  const onFirst = new Set(first.visitors.map((v) => v.anonymous_id));
  expect(next.visitors.length).toBeGreaterThan(0);
  expect(next.visitors.filter((v) => onFirst.has(v.anonymous_id))).toEqual([]);
  const forged = await request.get('/api/ops/anonymous?cursor=not-a-cursor', {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  expect(forged.status()).toBe(400);

  await page.goto(`/ops?token=${encodeURIComponent(TOKEN)}`);
  const visitors = page.getByRole('region', { name: 'Anonymous activity' });
  const firstShown = (await visitors.getByRole('listitem').first().getByRole('link').textContent())!;
  await visitors.getByRole('link', { name: 'Next 20 visitors' }).click();
  await expect(page).toHaveURL(/[?&]visitors=/);
  await expect(visitors.getByRole('link', { name: 'Back to the start' })).toBeVisible();
  await expect(visitors.getByRole('listitem').first()).toBeVisible();
  await expect(visitors.getByRole('link', { name: firstShown, exact: true })).toHaveCount(0);
});
