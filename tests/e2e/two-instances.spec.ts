import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { HOUR } from '@/lib/common/duration';
import {
  clockMoveResponse,
  clockResponse,
  cronTickResponse,
  journeyPassResponse,
  outboxResponse,
  peopleResponse,
} from '@/lib/cdp/ops/contract';
import { browseAndAbandon, createAccount, opsClient } from '../../scripts/demo-scenario.mjs';
import { uniqueEmail } from './support/shop';
import { shopperContext } from './support/tracking';

// README "Deploy", followed: two instances (scripts/serve.mjs) on one PostgreSQL database behind a round-robin
// balancer (the `postgres` project's baseURL), sharing secrets, the manual clock and a Customer.io upstream.
// Shoppers' requests alternate between the instances; jobs are then triggered on both instances at once.
// Every answer is parsed with its schema in lib/cdp/ops/contract.ts.
test.skip(!!process.env.E2E_PG_SKIPPED, `PostgreSQL unavailable: ${process.env.E2E_PG_SKIPPED}`);

const instance = (port: string | undefined) => `http://127.0.0.1:${port}`;
const INSTANCES = [instance(process.env.E2E_PG_A_PORT), instance(process.env.E2E_PG_B_PORT)];
const [a, b] = INSTANCES.map((url) => opsClient(url, process.env.E2E_OPS_TOKEN!)) as [
  ReturnType<typeof opsClient>,
  ReturnType<typeof opsClient>,
];
/** What the `journeys` job of a clock move reports (the pass's result; the contract types jobs as JSON). */
const journeysJob = z.object({ sent: z.number().int().nonnegative() });
const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);
const outbox = async () => outboxResponse.parse(await a.get('outbox?limit=500')).messages;
const personIdOf = async (email: string) =>
  peopleResponse.parse(await b.get(`people?email=${encodeURIComponent(email)}`)).people[0]?.id;

test('shoppers on both instances, journeys run on both at once: each expected email composed and stored once', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const emails = await Promise.all(
    [0, 1, 2].map(async (i) => {
      const context = await shopperContext(browser, baseURL!);
      const page = await context.newPage();
      await browseAndAbandon(page);
      const email = uniqueEmail(`instances-${i}`);
      await createAccount(page, { name: `Shopper ${i}`, email, password: 'correct horse battery' });
      await context.close();
      return email;
    }),
  );
  for (const email of emails) await expect.poll(() => personIdOf(email)).toBeTruthy();

  const before = (await outbox()).length;
  const run = () => Promise.all([a, b].map(async (ops) => journeyPassResponse.parse(await ops.post('journeys/run'))));
  const entered = await run();
  const later = new Date(Date.parse(clockResponse.parse(await a.get('clock')).now) + 2 * HOUR).toISOString();
  const moved = await Promise.all(
    [a, b].map(async (ops) => clockMoveResponse.parse(await ops.post('clock', { set: later }))),
  );
  const again = await run();

  // Every message a pass composed was stored, and no pass composed one another pass had already sent.
  const composed =
    sum([...entered, ...again].map((r) => r.sent)) + sum(moved.map((r) => journeysJob.parse(r.jobs.journeys).sent));
  const messages = await outbox();
  expect(composed).toBe(messages.length - before);
  for (const email of emails) {
    expect(messages.filter((m) => m.to === email).map((m) => m.journey_id)).toEqual(['cart-recovery-lookback']);
  }
});

test('every accepted event reaches Customer.io once, whichever instance took it', async () => {
  const email = uniqueEmail('forwarded');
  await a.post('clock', { advance: '1m' });
  // Both instances accept calls at once; the server SDK's identify also goes through the balancer.
  const calls = Array.from({ length: 40 }, (_, i) => ({
    type: 'track',
    event: 'Product Viewed',
    anonymousId: `forwarded-${email}`,
    messageId: `${email}-${i}`,
    properties: { product_id: 'prod_x', schema_version: 1 },
  }));
  await Promise.all(
    calls.map((call, i) =>
      fetch(`${INSTANCES[i % 2]}/api/cdp/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        // Each call sent twice, to both instances: the pipeline must still forward it once.
        body: JSON.stringify({ batch: [call], writeKey: process.env.E2E_WRITE_KEY }),
      }).then(() =>
        fetch(`${INSTANCES[(i + 1) % 2]}/api/cdp/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ batch: [call], writeKey: process.env.E2E_WRITE_KEY }),
        }),
      ),
    ),
  );
  const received = async () =>
    ((await (await fetch(instance(process.env.E2E_CIO_PORT))).json()) as { messageIds: string[] }).messageIds;
  const mine = (ids: string[]) => ids.filter((id) => id.startsWith(`${email}-`));
  await expect.poll(async () => mine(await received()).length).toBeGreaterThanOrEqual(calls.length);
  expect(mine(await received()).toSorted()).toEqual(calls.map((c) => c.messageId).toSorted());
  const all = await received();
  expect(all.length).toBe(new Set(all).size);
});

test('the cron route called on both instances at once runs each job once', async () => {
  const tick = async (url: string) => {
    const response = await fetch(`${url}/api/cron/tick`, {
      headers: { Authorization: `Bearer ${process.env.E2E_CRON_SECRET}` },
    });
    expect(response.status).toBe(200);
    return cronTickResponse.parse(await response.json()).jobs;
  };
  const results = await Promise.all(INSTANCES.map(tick));
  const forwarding = results.map((jobs) => JSON.stringify(jobs['forward-to-customerio']));
  expect(forwarding.filter((r) => /already run in this tick/.test(r))).toHaveLength(1);
  expect(forwarding.filter((r) => /"sent":\d+/.test(r))).toHaveLength(1);
});

test('a console session signed in on one instance works on the other, and signing out there ends it on both', async ({
  baseURL,
}) => {
  const [first, second] = INSTANCES as [string, string];
  const signIn = await fetch(`${first}/api/ops/session?token=${encodeURIComponent(process.env.E2E_OPS_TOKEN!)}`, {
    redirect: 'manual',
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const page = async (url: string, path: string) =>
    (await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' })).status;
  expect(await page(second, '/ops')).toBe(200);
  // An id holding NUL names no row: PostgreSQL refuses such text, and these pages answered 500.
  for (const path of ['/ops/people/%00', '/ops/people/cus_%00x', '/ops/anonymous/%00', '/ops/outbox/%00'])
    expect(await page(second, path), path).toBe(404);

  const signOut = await fetch(`${second}/api/ops/session`, {
    method: 'POST',
    // The console's pages are served at the balancer's origin (APP_URL), as a browser would post the form from it.
    headers: { cookie, origin: new URL(baseURL!).origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'intent=logout',
    redirect: 'manual',
  });
  expect(signOut.status).toBe(303);
  expect(await page(first, '/ops')).toBe(303);
});
