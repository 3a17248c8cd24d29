import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb, type DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { backoffMs, deliverDue, type ForwardTarget } from '@/lib/cdp/forward/deliver';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { registerCdpJobs } from '@/lib/cdp/runtime/jobs';
import { runTick } from '@/lib/cdp/runtime/scheduler';
import { freshDatabaseUrl, sharedDatabase } from '../support/database';
import { freshDb, ingest, T0, track } from './support';

type Received = { status: number; auth: string | undefined; batch: Array<Record<string, unknown>> };

/** A fake Customer.io on 127.0.0.1: answers with the next status of `script` (then 200) and records every request. */
function fakeUpstream() {
  const received: Received[] = [];
  let script: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const status = script.shift() ?? 200;
      received.push({ status, auth: req.headers.authorization, batch: JSON.parse(body).batch });
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(status === 200 ? '{"success":true}' : '{"error":"boom"}');
    });
  });
  return {
    received,
    respondWith: (...statuses: number[]) => (script = statuses),
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

const upstream = fakeUpstream();
let target: ForwardTarget;
let db: DB;
beforeAll(async () => {
  target = { url: `${await upstream.start()}/v1/batch`, writeKey: 'cio-key' };
});
afterAll(() => upstream.stop());
beforeEach(async () => {
  db = await freshDb();
  upstream.received.length = 0;
});

const accepted = () =>
  upstream.received.filter((r) => r.status === 200).flatMap((r) => r.batch.map((e) => e.messageId));

describe('forwarding to Customer.io (proxy mode)', () => {
  it('delivers every accepted event exactly once, after an upstream 500 and a retry with backoff', async () => {
    const calls = Array.from({ length: 5 }, (_, i) => ({
      ...track('Product Viewed', { anonymousId: 'a' }),
      writeKey: 'local-key',
      messageId: `m${i}`,
    }));
    await ingest(db, calls, T0, { forward: true });
    await ingest(db, [calls[0]!], T0, { forward: true }); // a duplicate is not queued again
    upstream.respondWith(500);

    const t = Date.now();
    expect(await deliverDue(db, target, t)).toEqual({ sent: 0, retrying: 5, failed: 0 });
    expect(await deliverDue(db, target, t + backoffMs(1) - 1)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(await deliverDue(db, target, t + backoffMs(1))).toEqual({ sent: 5, retrying: 0, failed: 0 });
    expect(await deliverDue(db, target, t + 3_600_000)).toEqual({ sent: 0, retrying: 0, failed: 0 });

    expect(upstream.received.map((r) => r.status)).toEqual([500, 200]);
    expect(accepted()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    const [first] = upstream.received[1]!.batch;
    expect(first).toMatchObject({ type: 'track', event: 'Product Viewed', anonymousId: 'a', messageId: 'm0' });
    expect(first).not.toHaveProperty('writeKey');
    expect(upstream.received[1]!.auth).toBe(`Basic ${Buffer.from('cio-key:').toString('base64')}`);
  });

  it('sends each event once when two instances flush the queue at the same moment', async () => {
    const [a, b] = await sharedDatabase();
    const calls = Array.from({ length: 250 }, (_, i) => ({
      ...track('Product Viewed', { anonymousId: 'a' }),
      messageId: `c${i}`,
    }));
    await ingest(a, calls, T0, { forward: true });
    const flushes = await Promise.all([a, b, a, b].map((handle) => deliverDue(handle, target)));
    expect(flushes.reduce((n, r) => n + r.sent, 0)).toBe(250);
    expect(accepted().toSorted()).toEqual(calls.map((c) => c.messageId).toSorted());
  });

  it('gives up on a 4xx that cannot succeed, and keeps the reason', async () => {
    await ingest(db, [track('Product Viewed', { anonymousId: 'a' })], T0, { forward: true });
    upstream.respondWith(400);
    expect(await deliverDue(db, target)).toEqual({ sent: 0, retrying: 0, failed: 1 });
    const [row] = await db.selectFrom('cdp_forward_queue').selectAll().execute();
    expect(row).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringMatching(/400/) });
  });

  it('retries when the upstream cannot be reached at all', async () => {
    await ingest(db, [track('Product Viewed', { anonymousId: 'a' })], T0, { forward: true });
    const closed = { url: 'http://127.0.0.1:9/v1/batch', writeKey: 'cio-key' };
    expect(await deliverDue(db, closed)).toEqual({ sent: 0, retrying: 1, failed: 0 });
  });

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30)).toBe(600_000);
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
      CIO_API_HOST: target.url.replace('/v1/batch', ''),
      CDP_CLOCK: 'manual',
    });
    resetEnvCache();
    const calls = ['s1', 's2', 's3'].map((messageId) => ({
      ...track('Product Viewed', { anonymousId: 'a' }),
      messageId,
    }));
    await ingest(db, calls, T0, { forward: true });

    registerCdpJobs();
    const jobs = await runTick(db);
    expect(jobs['forward-to-customerio']).toEqual({ sent: 3, retrying: 0, failed: 0 });
    expect(jobs).not.toHaveProperty('journeys');
    expect(accepted()).toEqual(['s1', 's2', 's3']);
    const rows = await db.selectFrom('cdp_forward_queue').select('status').execute();
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('forwards what the route accepts on its own, retrying after a 500 without waiting for the scheduler', async () => {
    Object.assign(process.env, {
      DATABASE_URL: await freshDatabaseUrl(),
      CDP_WRITE_KEY: 'local-key',
      CIO_WRITE_KEY: 'cio-key',
      CIO_API_HOST: target.url.replace('/v1/batch', ''),
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
  });
});
