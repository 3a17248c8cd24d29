import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { MINUTE } from '@/lib/common/duration';
import { resetProcessState } from '@/lib/common/process-state';
import {
  deliverShopEvents,
  recordForSending,
  shopEventOutboxState,
  type OutboxCall,
  type OutboxSender,
} from '@/lib/shop/server/event-outbox';
import { outboxPause } from '@/lib/shop/server/outbox-pause';
import { trackerSender } from '@/lib/shop/server/tracker-sender';
import { createServerTracker } from '@/lib/tracking/server';
import { SERVER_WRITE_KEY } from '../cdp/support';
import { freshOrderDb } from './order-db';

// A storage suite (SQLite and PostgreSQL): a pass of the shop's outbox stops before its claim runs out, and a
// pipeline that refuses the server write key or the address pauses the outbox instead of failing its calls.
let db: DB;
freshOrderDb((fresh) => (db = fresh));

let pipeline: http.Server | undefined;
beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
afterEach(async () => {
  vi.restoreAllMocks();
  await resetProcessState();
  pipeline?.closeAllConnections();
  await new Promise<void>((resolve) => (pipeline ? pipeline.close(() => resolve()) : resolve()));
  pipeline = undefined;
});

const calls: OutboxCall[] = ['a', 'b', 'c', 'd'].map((id) => ({
  type: 'track',
  event: 'Logged In',
  properties: { method: 'password', schema_version: 1 },
  userId: null,
  anonymousId: `anon-${id}`,
  messageId: `m-${id}`,
  timestamp: '2026-03-01T12:00:00.000Z',
}));

const rows = () =>
  db
    .selectFrom('shop_event_outbox')
    .select(['message_id', 'status', 'attempts', 'claimed_at', 'next_attempt_at', 'last_error'])
    .orderBy('id')
    .execute();

describe("a pass of the shop's outbox", () => {
  it('stops before its claim runs out and hands back the calls it did not send, due at once', async () => {
    const t0 = Date.now();
    await recordForSending(db, calls, t0);
    // Each send takes three minutes of the five-minute claim (a slow pipeline, the SDK's retries).
    let now = t0;
    const sent: string[] = [];
    const slow: OutboxSender = async (call) => {
      sent.push(call.messageId);
      now += 3 * MINUTE;
      return true;
    };
    expect(await deliverShopEvents(db, slow, t0, { clock: () => now })).toEqual({
      sent: 2,
      retrying: 0,
      dead: 0,
      waiting: 2,
    });
    expect(sent).toEqual(['m-a', 'm-b']);
    // Not claimed until the claim's end (another instance would then send them too), no attempt counted.
    const left = (await rows()).filter((r) => r.status === 'pending');
    expect(left.map((r) => r.message_id)).toEqual(['m-c', 'm-d']);
    for (const row of left) expect(row).toMatchObject({ attempts: 0, claimed_at: null, last_error: null });
    expect(left.every((r) => Number(r.next_attempt_at) <= t0)).toBe(true);

    const fast: OutboxSender = async (call) => (sent.push(call.messageId), true);
    expect(await deliverShopEvents(db, fast, t0 + 1000)).toMatchObject({ sent: 2, waiting: 0 });
    expect(sent).toEqual(['m-a', 'm-b', 'm-c', 'm-d']);
  });
});

/**
 * The pipeline's ingest as it answers the server tracker: `key` is the key it takes; a wrong key is answered 200
 * and dropped, as Customer.io and the local ingest do, unless the request says X-Strict-Mode: 1 (then 401).
 * `refuseAll`: something in front of it (a proxy, a deployment's password) answers 401 to everything; `page`: a web
 * page answers 200 to everything (no ingest there).
 */
async function ingestOn(state: { key: string; refuseAll: boolean; page?: boolean }) {
  const stored: string[] = [];
  const requests: string[] = [];
  pipeline = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const strict = req.headers['x-strict-mode'] === '1';
      requests.push(strict ? 'check' : 'send');
      const key = Buffer.from((req.headers.authorization ?? '').replace('Basic ', ''), 'base64').toString();
      if (state.refuseAll) return void res.writeHead(401, { 'content-type': 'text/html' }).end('<h1>Sign in</h1>');
      if (state.page) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Welcome</h1>');
      if (key !== `${state.key}:`)
        return void (strict
          ? res.writeHead(401).end('{"error":"Invalid write key"}')
          : res.writeHead(200).end('{"success":true,"stored":0,"rejected":1}'));
      const { batch } = JSON.parse(body) as { batch: Array<{ messageId: string }> };
      if (!batch.length) return void res.writeHead(400).end('{"error":"batch must not be empty"}');
      stored.push(...batch.map((c) => c.messageId));
      res.writeHead(200).end('{"success":true}');
    });
  });
  await new Promise<void>((resolve) => pipeline!.listen(0, '127.0.0.1', resolve));
  const { port } = pipeline.address() as { port: number };
  const url = `http://127.0.0.1:${port}/api/cdp/v1/batch`;
  const host = `http://127.0.0.1:${port}`;
  const tracker = createServerTracker({ writeKey: SERVER_WRITE_KEY, host, path: '/api/cdp/v1/batch', strict: true });
  return { stored, requests, send: trackerSender(tracker, { url, writeKey: SERVER_WRITE_KEY }) };
}

describe("the shop's outbox, its server write key refused", () => {
  it('pauses: nothing is marked sent or failed, one try at a growing interval, one log line each way', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const infos = vi.spyOn(console, 'info').mockImplementation(() => {});
    const state = { key: 'the-pipeline-s-own-key', refuseAll: false };
    const { stored, requests, send } = await ingestOn(state);
    const t0 = Date.now();
    // A pass at `ms`, its clock standing still (the pause's times are the pass's).
    const passAt = (ms: number) => deliverShopEvents(db, send, ms, { clock: () => ms });
    await recordForSending(db, calls.slice(0, 3), t0);

    // The ingest would have answered the calls 200 and dropped them: the check before the first send finds the key.
    expect(await passAt(t0)).toEqual({ sent: 0, retrying: 0, dead: 0, waiting: 3 });
    expect(requests).toEqual(['check']);
    expect(await rows()).toEqual(
      calls
        .slice(0, 3)
        .map((c) =>
          expect.objectContaining({ message_id: c.messageId, status: 'pending', attempts: 0, last_error: null }),
        ),
    );
    expect(outboxPause()).toMatchObject({ status: 401, refusals: 1, since: t0, until: t0 + MINUTE });
    const view = await shopEventOutboxState(db);
    expect(view.paused).toMatchObject({ status: 401, refusals: 1, next_try_at: new Date(t0 + MINUTE).toISOString() });
    expect(view.paused?.error).toContain('refused the server write key');
    expect(view.failing).toEqual([]);

    // Before the next try no pass sends (nor claims) anything; then one check, refused again: two minutes.
    expect(await passAt(t0 + 30_000)).toMatchObject({ sent: 0, waiting: 0 });
    expect(requests).toEqual(['check']);
    expect(await passAt(t0 + MINUTE)).toMatchObject({ sent: 0, waiting: 3 });
    expect(requests).toEqual(['check', 'check']);
    expect(outboxPause()).toMatchObject({ refusals: 2, since: t0, until: t0 + 3 * MINUTE });

    // The key fixed on the pipeline's side: the next try goes through and the calls go, in order.
    state.key = SERVER_WRITE_KEY;
    expect(await passAt(t0 + 3 * MINUTE)).toMatchObject({ sent: 3, retrying: 0, dead: 0 });
    expect(stored).toEqual(['m-a', 'm-b', 'm-c']);
    expect(outboxPause()).toBeNull();
    expect((await shopEventOutboxState(db)).paused).toBeNull();
    const lines = (spy: typeof errors) =>
      spy.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('[shop] outbox'));
    expect(lines(errors)).toEqual([expect.stringContaining('[shop] outbox paused: the pipeline refused')]);
    expect(lines(infos)).toEqual([expect.stringContaining('[shop] outbox resumed')]);
  });

  it('pauses too when something in front of the pipeline refuses the calls the SDK sends (a 401 page)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const state = { key: SERVER_WRITE_KEY, refuseAll: false };
    const { requests, send } = await ingestOn(state);
    const t0 = Date.now();
    await recordForSending(db, calls.slice(0, 2), t0);
    expect(await deliverShopEvents(db, send, t0)).toMatchObject({ sent: 2 });

    // Put behind a password later: the SDK's tries are refused (it retries a 401 as a 503), then the check says why.
    state.refuseAll = true;
    await recordForSending(db, calls.slice(2), t0 + 1000);
    expect(await deliverShopEvents(db, send, t0 + 1000)).toEqual({ sent: 0, retrying: 0, dead: 0, waiting: 2 });
    expect(requests.at(-1)).toBe('check');
    expect(outboxPause()).toMatchObject({ status: 401, refusals: 1 });
    const left = (await rows()).filter((r) => r.status === 'pending');
    expect(left.map((r) => [r.message_id, r.attempts, r.last_error])).toEqual([
      ['m-c', 0, null],
      ['m-d', 0, null],
    ]);
  });

  it('pauses when a web page answers 200 (a site at a wrong APP_URL): no call counts as sent', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const { stored, requests, send } = await ingestOn({ key: SERVER_WRITE_KEY, refuseAll: false, page: true });
    const t0 = Date.now();
    await recordForSending(db, calls.slice(0, 2), t0);
    expect(await deliverShopEvents(db, send, t0)).toEqual({ sent: 0, retrying: 0, dead: 0, waiting: 2 });
    expect(requests).toEqual(['check']);
    expect(stored).toEqual([]);
    expect(outboxPause()).toMatchObject({ status: 200, refusals: 1 });
    expect((await shopEventOutboxState(db)).paused?.error).toContain('answered 200 OK, a web page: no ingest there');
    expect((await rows()).map((r) => [r.message_id, r.status, r.attempts])).toEqual([
      ['m-a', 'pending', 0],
      ['m-b', 'pending', 0],
    ]);
  });

  it('is not paused by a pipeline that is down: the call is retried with backoff as before', async () => {
    const { send } = await ingestOn({ key: SERVER_WRITE_KEY, refuseAll: false });
    const t0 = Date.now();
    await recordForSending(db, calls.slice(0, 1), t0);
    pipeline!.closeAllConnections();
    await new Promise<void>((resolve) => pipeline!.close(() => resolve()));
    pipeline = undefined;
    expect(await deliverShopEvents(db, send, t0)).toMatchObject({ sent: 0, retrying: 1 });
    expect(outboxPause()).toBeNull();
    expect((await rows())[0]).toMatchObject({
      attempts: 1,
      last_error: expect.stringContaining('did not acknowledge'),
    });
  });
});
