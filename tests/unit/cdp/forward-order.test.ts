import { afterEach, describe, expect, it } from 'vitest';
import { getDb, type DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { deliverDue } from '@/lib/cdp/forward/deliver';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { freshDatabaseUrl } from '../support/database';
import { withFakeUpstream } from './fake-upstream';
import { identify, ingest, T0, track } from './support';

const fake = withFakeUpstream();
const { upstream } = fake;

const dueOf = async (messageId: string) =>
  Number(
    (
      await fake.db
        .selectFrom('cdp_forward_queue')
        .select('next_attempt_at')
        .where('message_id', '=', messageId)
        .executeTakeFirstOrThrow()
    ).next_attempt_at,
  );

describe('order per person', () => {
  it('a later call of a person waits behind its earlier failing one; other people are not held up', async () => {
    const now = Date.UTC(2026, 11, 1, 9, 0, 0);
    await ingest(
      fake.db,
      [
        { ...identify('cus_1', 'a1', { email: 'ada@example.com' }), messageId: 'identify-1' },
        { ...track('Product Viewed', { anonymousId: 'anon-9' }), messageId: 'view-9' },
      ],
      T0,
      { forward: true },
    );
    upstream.respondWith(500); // only the first request fails
    expect(await deliverDue(fake.db, fake.target, now)).toMatchObject({ retrying: 2 });

    await ingest(
      fake.db,
      [
        { ...track('Order Completed', { userId: 'cus_1' }), messageId: 'order-1' },
        { ...track('Order Completed', { userId: 'cus_2' }), messageId: 'order-2' },
        { ...track('Product Viewed', { anonymousId: 'anon-9' }), messageId: 'view-9b' },
      ],
      T0,
      { forward: true },
    );
    // The identify and the anonymous view are in backoff: their people's later calls wait, cus_2's goes.
    expect(await deliverDue(fake.db, fake.target, now + 1)).toEqual({ sent: 1, retrying: 0, dead: 0, waiting: 0 });
    expect(upstream.accepted()).toEqual(['order-2']);

    const due = Math.max(await dueOf('identify-1'), await dueOf('view-9'));
    expect(await deliverDue(fake.db, fake.target, due)).toMatchObject({ sent: 4 });
    expect(upstream.accepted()).toEqual(['order-2', 'identify-1', 'view-9', 'order-1', 'view-9b']);
  });

  it('a failing upstream ends the pass: the calls not tried wait with the failed ones, so none overtakes', async () => {
    const now = Date.UTC(2026, 11, 1, 9, 0, 0);
    // 150 calls: two batches; the person's first call is in the first, which fails, the next in the second.
    const calls = Array.from({ length: 150 }, (_, i) => ({
      ...track('Product Viewed', { anonymousId: i === 0 || i === 149 ? 'same' : `a${i}` }),
      messageId: `c${i}`,
    }));
    await ingest(fake.db, calls, T0, { forward: true });
    upstream.respondWith(503);
    expect(await deliverDue(fake.db, fake.target, now)).toEqual({ sent: 0, retrying: 100, dead: 0, waiting: 50 });
    expect(upstream.received).toHaveLength(1); // a failing upstream is not hammered with the rest
    const due = await dueOf('c0');
    expect(await dueOf('c149')).toBe(due);
    expect(await deliverDue(fake.db, fake.target, due)).toMatchObject({ sent: 150 });
    const order = upstream.accepted();
    expect(order.indexOf('c0')).toBeLessThan(order.indexOf('c149'));
  });
});

describe('context.ip of browser calls, through the ingest route', () => {
  const saved = { ...process.env };
  afterEach(async () => {
    process.env = { ...saved };
    resetEnvCache();
    // getDb() keeps one database per process: the next test opens its own, once the route's pass is over.
    const holder = globalThis as { __shopDb?: Promise<DB>; __cdpForwarding?: Promise<unknown> };
    await holder.__cdpForwarding;
    const previous = holder.__shopDb;
    delete holder.__shopDb;
    await (await previous)?.destroy();
  });

  async function send(calls: Array<Record<string, unknown>>, writeKey: string, env: Record<string, string> = {}) {
    Object.assign(process.env, {
      DATABASE_URL: await freshDatabaseUrl(),
      CDP_WRITE_KEY: 'browser-key',
      CDP_SERVER_WRITE_KEY: 'server-key-for-unit-tests',
      CIO_WRITE_KEY: 'cio-key',
      CIO_API_HOST: fake.target.url.replace('/v1/batch', ''),
      ...env,
    });
    resetEnvCache();
    const response = await handleIngest(
      new Request('http://127.0.0.1/api/cdp/v1/b', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.7' },
        body: JSON.stringify({ batch: calls, writeKey }),
      }),
      ['b'],
    );
    expect(response.status).toBe(200);
    const rows = await (await getDb()).selectFrom('cdp_forward_queue').select(['message_id', 'payload']).execute();
    return Object.fromEntries(
      rows.map((r) => [r.message_id, (JSON.parse(r.payload) as { context?: { ip?: unknown } }).context]),
    );
  }

  const browserCall = (messageId: string, context: Record<string, unknown> = {}) => ({
    ...track('Product Viewed', { anonymousId: 'a' }),
    messageId,
    context: { library: { name: '@customerio/cdp-analytics-browser', version: 'test' }, ...context },
  });

  it('carries the client address, unless the call had an ip of its own', async () => {
    const contexts = await send([browserCall('plain'), browserCall('own', { ip: '198.51.100.1' })], 'browser-key');
    expect(contexts.plain).toMatchObject({ ip: '203.0.113.7' });
    expect(contexts.own).toMatchObject({ ip: '198.51.100.1' });
  });

  it('not for server calls (that address is the shop’s), nor with CDP_FORWARD_IP=off', async () => {
    expect((await send([browserCall('server')], 'server-key-for-unit-tests')).server).not.toHaveProperty('ip');
    expect((await send([browserCall('off')], 'browser-key', { CDP_FORWARD_IP: 'off' })).off).not.toHaveProperty('ip');
  });
});
