import { expect, test } from './support/test';
import { journeyPassResponse, journeyRunsResponse, outboxResponse } from '@/lib/cdp/ops/contract';
import { recommendationsFor } from '@/lib/shop/domain/quiz';
import { opsClient } from '../../scripts/demo-scenario.mjs';
import { skipEmailPopup, uniqueEmail } from './support/shop';
import { named, ops, timelineOf, waitForPerson } from './support/tracking';

// "Send me my routine" keeps its promise on the local pipeline: a shopper who opens a shared result link (no quiz
// taken, so no Quiz Completed) leaves her email, and the next journey pass puts the routine email in the outbox for
// her address: the result's name and its products with their links. Asking again the same day sends nothing more.

test('a shared /quiz?result= link: "Send my routine" puts the routine email in the outbox on the next pass', async ({
  page,
  request,
  baseURL,
}) => {
  const client = opsClient(baseURL!, process.env.E2E_OPS_TOKEN!);
  const journeyPass = async () => journeyPassResponse.parse(await client.post('journeys/run'));
  await skipEmailPopup(page);
  const email = uniqueEmail('routine');
  await page.goto('/quiz?result=oily');
  const send = async () => {
    const form = page.getByRole('form', { name: 'Send me my routine' });
    await form.getByLabel('Email').fill(email);
    await form.getByRole('button', { name: 'Send my routine' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Sent!' })).toHaveText(
      'Sent! Check your inbox in a few minutes for your Oily skin routine.',
    );
  };
  await send();

  const person = await waitForPerson(request, email);
  const outbox = async () => (await ops(request, `outbox?to=${encodeURIComponent(email)}`, outboxResponse)).messages;
  // The request reaches the pipeline after the answer (the shop's outbox): each poll runs a pass, then reads.
  await expect
    .poll(async () => {
      await journeyPass();
      return (await outbox()).map((m) => m.journey_id);
    })
    .toEqual(['quiz-routine']);
  const [message] = await outbox();
  expect(message!.subject).toBe('Your Oily skin routine from Glowlab');
  expect(message!.person_id).toBe(person.id);
  for (const { product, variant } of recommendationsFor('oily')) {
    expect(message!.html).toContain(product.name);
    expect(message!.text).toContain(`/products/${product.handle}?variant=${encodeURIComponent(variant.id)}`);
  }
  expect(message!.text).toContain('/quiz?result=oily');

  // The same routine asked for again: stored, and no second email.
  await page.reload();
  await send();
  await expect.poll(async () => named(await timelineOf(request, person.id), 'Quiz Routine Requested').length).toBe(2);
  await journeyPass();
  const runs = (await ops(request, `journeys/runs?person=${encodeURIComponent(person.id)}`, journeyRunsResponse)).runs;
  expect(runs.filter((r) => r.journey_id === 'quiz-routine').map((r) => r.status)).toEqual(['sent']);
  expect(await outbox()).toHaveLength(1);
});
