import { expect, test } from '@playwright/test';
import { browseAndAbandon, createAccount, opsClient } from '../../scripts/demo-scenario.mjs';
import { uniqueEmail } from './support/shop';
import { shopperContext } from './support/tracking';

// README "Deploy", followed: two `next start` instances on one PostgreSQL database behind a round-robin
// balancer (the `postgres` project's baseURL), sharing secrets, the manual clock and a Customer.io upstream.
// Shoppers' requests alternate between the instances; jobs are then triggered on both instances at once.
test.skip(!!process.env.E2E_PG_SKIPPED, `PostgreSQL unavailable: ${process.env.E2E_PG_SKIPPED}`);

type Message = { id: string; journey_id: string; to: string };
const instance = (port: string | undefined) => `http://127.0.0.1:${port}`;
const INSTANCES = [instance(process.env.E2E_PG_A_PORT), instance(process.env.E2E_PG_B_PORT)];
const a = opsClient(INSTANCES[0]!, process.env.E2E_OPS_TOKEN!);
const b = opsClient(INSTANCES[1]!, process.env.E2E_OPS_TOKEN!);
type PassResult = { sent: number };
const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);
const outbox = async () => (await a.get<{ messages: Message[] }>('outbox?limit=500')).messages;
const personIdOf = async (email: string) =>
  (await b.get<{ people: { id: string }[] }>(`people?email=${encodeURIComponent(email)}`)).people[0]?.id;

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
  const run = () => Promise.all([a, b].map((ops) => ops.post<PassResult>('journeys/run')));
  const entered = await run();
  const later = new Date(Date.parse((await a.get<{ now: string }>('clock')).now) + 2 * 3600_000).toISOString();
  const moved = await Promise.all(
    [a, b].map((ops) => ops.post<{ jobs: { journeys: PassResult } }>('clock', { set: later })),
  );
  const again = await run();

  // Every message a pass composed was stored, and no pass composed one another pass had already sent.
  const composed = sum([...entered, ...again].map((r) => r.sent)) + sum(moved.map((r) => r.jobs.journeys.sent));
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
    return (await response.json()).jobs as Record<string, unknown>;
  };
  const results = await Promise.all(INSTANCES.map(tick));
  const forwarding = results.map((jobs) => JSON.stringify(jobs['forward-to-customerio']));
  expect(forwarding.filter((r) => /already run in this tick/.test(r))).toHaveLength(1);
  expect(forwarding.filter((r) => /"sent":\d+/.test(r))).toHaveLength(1);
});
