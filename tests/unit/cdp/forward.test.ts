import { afterAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { deliverDue } from '@/lib/cdp/forward/deliver';
import { pruneSentForwards, replayDeadForwards } from '@/lib/cdp/store/forward-queue';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { registerCdpJobs } from '@/lib/cdp/runtime/jobs';
import { runTick } from '@/lib/cdp/runtime/scheduler';
import { freshDatabaseUrl, sharedDatabase } from '../support/database';
import { withFakeUpstream } from './fake-upstream';
import { identify, ingest, T0, track } from './support';

const fake = withFakeUpstream();
const { upstream } = fake;

const accepted = upstream.accepted;
const nextAttempt = async () =>
  Number(
    (await fake.db.selectFrom('cdp_forward_queue').select('next_attempt_at').executeTakeFirstOrThrow()).next_attempt_at,
  );

describe('forwarding to Customer.io (proxy mode)', () => {
  it('delivers every accepted event exactly once, after an upstream 500 and a retry with backoff', async () => {
    const calls = Array.from({ length: 5 }, (_, i) => ({
      ...track('Product Viewed', { anonymousId: 'a' }),
      writeKey: 'local-key',
      messageId: `m${i}`,
    }));
    await ingest(fake.db, calls, T0, { forward: true });
    await ingest(fake.db, [calls[0]!], T0, { forward: true }); // a duplicate is not queued again
    upstream.respondWith(500);

    const t = Date.now();
    expect(await deliverDue(fake.db, fake.target, t)).toEqual({ sent: 0, retrying: 5, dead: 0, waiting: 0 });
    const due = await nextAttempt();
    expect(due - t).toBeGreaterThanOrEqual(500); // attempt 1: between 0.5 and 1 s (jitter)
    expect(due - t).toBeLessThanOrEqual(1000);
    expect(await deliverDue(fake.db, fake.target, due - 1)).toEqual({ sent: 0, retrying: 0, dead: 0, waiting: 0 });
    expect(await deliverDue(fake.db, fake.target, due)).toEqual({ sent: 5, retrying: 0, dead: 0, waiting: 0 });
    expect(await deliverDue(fake.db, fake.target, t + 3_600_000)).toEqual({
      sent: 0,
      retrying: 0,
      dead: 0,
      waiting: 0,
    });

    expect(upstream.received.map((r) => r.status)).toEqual([500, 200]);
    expect(accepted()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    const [first] = upstream.received[1]!.batch;
    expect(first).toMatchObject({ type: 'track', event: 'Product Viewed', anonymousId: 'a', messageId: 'm0' });
    expect(first).not.toHaveProperty('writeKey');
    expect(upstream.received[1]!.headers.authorization).toBe(`Basic ${Buffer.from('cio-key:').toString('base64')}`);
    // Strict mode: a wrong key or an invalid call is an error Customer.io answers, not a 200 that drops it.
    expect(upstream.received.every((r) => r.headers['x-strict-mode'] === '1')).toBe(true);
  });

  it('sends each event once, in order, when two instances flush the queue at the same moment', async () => {
    const [a, b] = await sharedDatabase();
    // One person's 250 calls: a claim that holds a later call while another holds an earlier one hands it back.
    const calls = Array.from({ length: 250 }, (_, i) => ({
      ...track('Product Viewed', { anonymousId: 'a' }),
      messageId: `c${i}`,
    }));
    await ingest(a, calls, T0, { forward: true });
    let sent = 0;
    // Rows handed back are looked at again within seconds: each round is a few seconds later.
    const start = Date.now();
    for (let round = 0; round < 10 && sent < calls.length; round++) {
      const at = start + round * 5_000;
      const flushes = await Promise.all([a, b, a, b].map((handle) => deliverDue(handle, fake.target, at)));
      sent += flushes.reduce((n, r) => n + r.sent, 0);
    }
    expect(sent).toBe(250);
    expect(accepted()).toEqual(calls.map((c) => c.messageId));
  });

  it('retries when the upstream cannot be reached at all', async () => {
    await ingest(fake.db, [track('Product Viewed', { anonymousId: 'a' })], T0, { forward: true });
    const closed = { url: 'http://127.0.0.1:9/v1/batch', writeKey: 'cio-key' };
    expect(await deliverDue(fake.db, closed)).toEqual({ sent: 0, retrying: 1, dead: 0, waiting: 0 });
  });
});

describe('proxy mode through the ingest route', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = { ...saved };
    resetEnvCache();
  });

  it('the scheduled job forwards the queue on wall time: a minute tick delivers it with the pipeline clock stopped', async () => {
    // CDP_CLOCK=manual: pipeline jobs wait for clock moves, but talking to Customer.io must not.
    Object.assign(process.env, {
      CIO_WRITE_KEY: 'cio-key',
      CIO_API_HOST: fake.target.url.replace('/v1/batch', ''),
      CDP_CLOCK: 'manual',
    });
    resetEnvCache();
    const calls = ['s1', 's2', 's3'].map((messageId) => ({
      ...track('Product Viewed', { anonymousId: 'a' }),
      messageId,
    }));
    await ingest(fake.db, calls, T0, { forward: true });

    registerCdpJobs();
    const jobs = await runTick(fake.db);
    expect(jobs['forward-to-customerio']).toEqual({ sent: 3, retrying: 0, dead: 0, waiting: 0, pruned: 0 });
    expect(jobs).not.toHaveProperty('journeys');
    expect(accepted()).toEqual(['s1', 's2', 's3']);
    const rows = await fake.db.selectFrom('cdp_forward_queue').select('status').execute();
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('prunes delivered rows once older than the keep window, and nothing undelivered', async () => {
    const calls = ['p-old-1', 'p-old-2', 'p-new', 'p-waiting'].map((messageId) => ({
      ...track('Product Viewed', { anonymousId: 'prune' }),
      messageId,
    }));
    await ingest(fake.db, calls, T0, { forward: true });
    const rows = () =>
      fake.db
        .selectFrom('cdp_forward_queue')
        .select(['message_id', 'status'])
        .where('message_id', 'like', 'p-%')
        .orderBy('message_id')
        .execute();
    const cutoff = '2026-01-08T00:00:00.000Z';
    const mark = (ids: string[], status: 'sent' | 'pending', sentAt: string | null) =>
      fake.db
        .updateTable('cdp_forward_queue')
        .set({ status, sent_at: sentAt })
        .where('message_id', 'in', ids)
        .execute();
    await mark(['p-old-1', 'p-old-2'], 'sent', '2026-01-07T23:59:59.999Z');
    await mark(['p-new'], 'sent', cutoff); // exactly at the edge: kept
    await mark(['p-waiting'], 'pending', null);

    expect(await pruneSentForwards(fake.db, cutoff)).toBe(2);
    expect(await rows()).toEqual([
      { message_id: 'p-new', status: 'sent' },
      { message_id: 'p-waiting', status: 'pending' },
    ]);
  });

  it('forwards what the route accepts on its own, retrying after a 500 without waiting for the scheduler', async () => {
    Object.assign(process.env, {
      DATABASE_URL: await freshDatabaseUrl(),
      CDP_WRITE_KEY: 'local-key',
      CIO_WRITE_KEY: 'cio-key',
      CIO_API_HOST: fake.target.url.replace('/v1/batch', ''),
      CDP_LOCAL: 'off',
    });
    resetEnvCache();
    upstream.respondWith(500);
    const batch = ['r1', 'r2', 'r3'].map((messageId) => ({
      ...track('Added to Cart', { anonymousId: 'a' }),
      messageId,
    }));
    const request = () =>
      new Request('http://127.0.0.1/api/cdp/v1/b', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ batch, writeKey: 'local-key' }),
      });

    const response = await handleIngest(request(), ['b']);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ stored: 0, forwarded: 3 });
    expect((await (await handleIngest(request(), ['b'])).json()).forwarded).toBe(0);

    await vi.waitFor(() => expect(accepted()).toEqual(['r1', 'r2', 'r3']), { timeout: 10_000, interval: 100 });
    expect(upstream.received.map((r) => r.status)).toEqual([500, 200]);
    expect(await (await getDb()).selectFrom('cdp_events').selectAll().execute()).toEqual([]);
    // Nothing stays behind locally: delivered rows keep only their messageId (dedupe), not the content.
    const queue = () => getDb().then((d) => d.selectFrom('cdp_forward_queue').select(['status', 'payload']).execute());
    await vi.waitFor(async () => expect(await queue()).toEqual(batch.map(() => ({ status: 'sent', payload: '' }))));
  });
});

describe('with local storage off, what the forward queue keeps', () => {
  const proxy = { forward: true, local: false };
  const row = (messageId: string) =>
    fake.db
      .selectFrom('cdp_forward_queue')
      .select(['status', 'payload', 'next_attempt_at'])
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
  const deliver = (at: number) => deliverDue(fake.db, fake.target, at, { keepPayload: false });
  const kept = (status: string, text: string) =>
    expect.objectContaining({ status, payload: expect.stringContaining(text) });

  it('keeps a call while it waits or is retried, blanks it once delivered; a dead letter keeps it for Replay', async () => {
    const start = Date.UTC(2026, 11, 1, 9, 0, 0);
    await ingest(
      fake.db,
      [{ ...identify('cus_1', 'a1', { email: 'ada@example.com' }), messageId: 'identify-1' }],
      T0,
      proxy,
    );
    upstream.respondWith(500);
    expect(await deliver(start)).toMatchObject({ retrying: 1 });
    expect(await row('identify-1')).toEqual(kept('pending', 'ada@example.com')); // in retry

    await ingest(
      fake.db,
      [
        track('Order Completed', { userId: 'cus_1', messageId: 'order-1' }),
        track('Order Completed', { userId: 'cus_2', messageId: 'order-2' }),
      ],
      T0,
      proxy,
    );
    expect(await deliver(start + 1)).toEqual({ sent: 1, retrying: 0, dead: 0, waiting: 0 });
    expect(await row('order-2')).toMatchObject({ status: 'sent', payload: '' }); // blanked at once
    expect(await row('order-1')).toEqual(kept('pending', 'Order Completed')); // waits behind identify-1

    // Customer.io refuses the identify: dead-lettered with its content (Replay sends it); the order behind it goes.
    upstream.answer((batch) => (batch.some((call) => call.messageId === 'identify-1') ? 400 : 200));
    const due = Number((await row('identify-1')).next_attempt_at);
    expect(await deliver(due)).toMatchObject({ sent: 1, dead: 1 });
    expect(await row('order-1')).toMatchObject({ status: 'sent', payload: '' });
    expect(await row('identify-1')).toEqual(kept('dead', 'ada@example.com'));

    // Replayed and refused again: still a dead letter with its content. Replayed and accepted: blanked.
    expect(await replayDeadForwards(fake.db, due)).toEqual({ replayed: 1 });
    expect(await deliver(due)).toMatchObject({ dead: 1 });
    expect(await row('identify-1')).toEqual(kept('dead', 'ada@example.com'));
    upstream.reset();
    expect(await replayDeadForwards(fake.db, due)).toEqual({ replayed: 1 });
    expect(await deliver(due)).toMatchObject({ sent: 1 });
    expect(await row('identify-1')).toMatchObject({ status: 'sent', payload: '' });
    expect(upstream.accepted()).toEqual(['identify-1']);
  });

  it('an identify held for want of a signature keeps no traits; its verified copy is sent, then blanked', async () => {
    const call = { ...identify('cus_9', 'a9', { email: 'nine@example.com' }), messageId: 'identify-9' };
    await ingest(fake.db, [call], T0, { ...proxy, trusted: false });
    expect(await row('identify-9')).toMatchObject({ status: 'held', payload: '{"type":"identify"}' });
    expect(await deliver(Date.now())).toEqual({ sent: 0, retrying: 0, dead: 0, waiting: 0 });

    await ingest(fake.db, [call], T0, proxy); // the shop's server sends it (server key)
    expect(await row('identify-9')).toEqual(kept('pending', 'nine@example.com'));
    expect(await deliver(Date.now())).toMatchObject({ sent: 1 });
    expect(await row('identify-9')).toMatchObject({ status: 'sent', payload: '' });
    expect(upstream.received[0]!.batch[0]).toMatchObject({ traits: { email: 'nine@example.com' } });
  });
});
