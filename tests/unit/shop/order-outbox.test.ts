import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { DAY, MINUTE } from '@/lib/common/duration';
import { getAnonymousActivity } from '@/lib/cdp/read/timeline';
import { claimDueRows, markRowsSent } from '@/lib/db/retry-queue';
import {
  deliverShopEvents,
  followUpHeld,
  pruneSentShopEvents,
  recordForSending,
  sendNow,
  sendRecorded,
  shopEventOutboxState,
  type OutboxSender,
} from '@/lib/shop/server/event-outbox';
import { trackerSender } from '@/lib/shop/server/tracker-sender';
import { orderCompletedMessageId } from '@/lib/shop/server/ids';
import { placeOrder } from '@/lib/shop/server/orders';
import { createServerTracker } from '@/lib/tracking/server';
import { freePortSync } from '@/scripts/free-port.mjs';
import { failOnce, setsColumn } from '../support/faults';
import { ingest, SERVER_WRITE_KEY, track } from '../cdp/support';
import { freshOrderDb } from './order-db';
import { checkout, type Line } from './checkout-input';

// A storage suite: runs on SQLite and on PostgreSQL. The pipeline is a real HTTP server on a port chosen up front,
// so it can be unreachable (nothing listening) at order time and come back on the same address.
let db: DB;
freshOrderDb((fresh) => (db = fresh));

const cart: Line[] = [{ sku: 'GL-CLN-GEL-150', quantity: 1 }];
const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const tracked = { orderCompleted: { origin: 'https://shop.test', anonymousId: ANON } };

let pipeline: http.Server | undefined;
// The node SDK's "could not be delivered" warning, expected here while nothing listens.
beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
afterEach(
  () =>
    new Promise<void>((resolve) => {
      vi.restoreAllMocks();
      pipeline?.closeAllConnections();
      return pipeline ? pipeline.close(() => resolve()) : resolve();
    }),
);

/**
 * The pipeline's ingest, back on `port`: records every call it acknowledges. `stored`: it also stores them as the
 * real pipeline does (ingestBatch into the same database), so stitching can be read back.
 */
async function pipelineOn(port: number, { stored = false } = {}): Promise<Array<Record<string, unknown>>> {
  const calls: Array<Record<string, unknown>> = [];
  pipeline = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const { batch } = JSON.parse(body) as { batch: Array<Record<string, unknown> & { type: string }> };
      if (stored) await ingest(db, batch, new Date());
      calls.push(...batch);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
    });
  });
  await new Promise<void>((resolve) => pipeline!.listen(port, '127.0.0.1', resolve));
  return calls;
}

const trackerOn = (port: number) =>
  createServerTracker({
    writeKey: SERVER_WRITE_KEY,
    host: `http://127.0.0.1:${port}`,
    path: '/api/cdp/v1/batch',
    strict: true,
  });
const senderTo = (port: number) => trackerSender(trackerOn(port));

describe("the shop's outbox: Order Completed", () => {
  it('is written with the order; the pipeline unreachable then, it arrives once after it comes back', async () => {
    const port = freePortSync();
    const send = senderTo(port);
    const placedAt = new Date('2026-03-01T10:00:00.000Z');
    const placed = await placeOrder(db, checkout('ada@example.test', cart), undefined, { now: placedAt, ...tracked });
    if (!('orderId' in placed)) throw new Error(`not placed: ${placed.status}`);
    const t0 = Date.now();

    // Nothing listens: the order stands, the event waits in the outbox with the reason.
    expect(await deliverShopEvents(db, send, t0)).toMatchObject({ sent: 0, retrying: 1 });
    const waiting = await shopEventOutboxState(db);
    expect(waiting.counts).toEqual({ pending: 1, sent: 0, dead: 0 });
    expect(waiting.failing[0]).toMatchObject({
      attempts: 1,
      last_error: expect.stringContaining('did not acknowledge'),
    });

    // The pipeline is back: the next pass (the minute job) delivers it, under its own messageId and time.
    const calls = await pipelineOn(port);
    expect(await deliverShopEvents(db, send, t0 + MINUTE)).toMatchObject({ sent: 1, retrying: 0 });
    expect(await deliverShopEvents(db, send, t0 + 2 * MINUTE)).toMatchObject({ sent: 0 });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      type: 'track',
      event: 'Order Completed',
      userId: placed.customerId,
      anonymousId: ANON,
      messageId: orderCompletedMessageId(placed.orderId),
      timestamp: placedAt.toISOString(),
      properties: { order_id: placed.orderId },
    });
    expect((await shopEventOutboxState(db)).counts).toEqual({ pending: 0, sent: 1, dead: 0 });
    // Delivered rows are kept a week, then deleted.
    expect(await pruneSentShopEvents(db, t0 + DAY)).toBe(0);
    expect(await pruneSentShopEvents(db, t0 + 8 * DAY)).toBe(1);
  });

  it('is retried for a day, then kept as a dead letter the console shows (never dropped)', async () => {
    const send = senderTo(freePortSync());
    await placeOrder(db, checkout('bea@example.test', cart), undefined, tracked);
    const t0 = Date.now();
    expect(await deliverShopEvents(db, send, t0)).toMatchObject({ retrying: 1 });
    expect(await deliverShopEvents(db, send, t0 + DAY)).toMatchObject({ retrying: 0, dead: 1 });
    const state = await shopEventOutboxState(db);
    expect(state.counts).toEqual({ pending: 0, sent: 0, dead: 1 });
    expect(state.failing[0]).toMatchObject({ status: 'dead', attempts: 2, next_attempt_at: null });
  });

  it('is sent once by two instances passing at the same time (rows are claimed)', async () => {
    const port = freePortSync();
    const calls = await pipelineOn(port);
    for (const email of ['a@example.test', 'b@example.test', 'c@example.test'])
      await placeOrder(db, checkout(email, cart), undefined, tracked);
    const passes = await Promise.all([deliverShopEvents(db, senderTo(port)), deliverShopEvents(db, senderTo(port))]);
    expect(passes[0].sent + passes[1].sent).toBe(3);
    expect(calls.map((c) => c.messageId).toSorted()).toEqual([...new Set(calls.map((c) => c.messageId))].toSorted());
    expect(calls).toHaveLength(3);
  });

  it('is not written when the order is not (a refused code rolls it back), nor when tracking was declined', async () => {
    await placeOrder(db, checkout('once@example.test', cart));
    const again = { ...checkout('once@example.test', cart), discountCode: 'WELCOME10' };
    expect((await placeOrder(db, again, undefined, tracked)).status).not.toBe('placed');
    expect((await shopEventOutboxState(db)).counts).toEqual({ pending: 0, sent: 0, dead: 0 });
  });
});

describe("the shop's outbox: identifies and tracks made in a request (sendNow)", () => {
  const ADA = 'cus_4f9Kx2LmQ8vTz1Ab';

  it('a signup identify made while the pipeline is unreachable is delivered by a later pass, and stitches', async () => {
    const port = freePortSync();
    const tracker = trackerOn(port);
    // The browser's anonymous history, already in the pipeline (browser key: untrusted).
    await ingest(db, [track('Product Viewed', { anonymousId: ANON })], new Date(), { trusted: false });
    // Signup: the server's identify of the new customer with this browser's id, as identifyCustomer prepares it.
    const identify = (await tracker.prepareIdentify(ADA, { email: 'ada@example.test' }, { anonymousId: ANON }))!;
    const t0 = Date.now();
    expect(await sendNow(db, trackerSender(tracker), [identify], t0)).toMatchObject({ sent: 0, retrying: 1 });
    expect((await getAnonymousActivity(db, ANON)).person_id).toBeNull();
    const waiting = await shopEventOutboxState(db, { nowMs: t0 });
    expect(waiting.failing).toEqual([
      expect.objectContaining({ type: 'identify', event: null, person_key: ADA, status: 'pending', attempts: 1 }),
    ]);

    // The pipeline is back: the minute pass delivers the identify, same messageId and time; the history is Ada's.
    const calls = await pipelineOn(port, { stored: true });
    expect(await deliverShopEvents(db, trackerSender(tracker), t0 + MINUTE)).toMatchObject({ sent: 1 });
    expect(calls).toEqual([
      expect.objectContaining({
        type: 'identify',
        userId: ADA,
        anonymousId: ANON,
        messageId: identify.messageId,
        timestamp: identify.timestamp,
      }),
    ]);
    expect((await getAnonymousActivity(db, ANON)).person_id).toBe(ADA);
  });

  it("keeps a person's order across a retry: a track after a failed identify waits for it, then follows it", async () => {
    const port = freePortSync();
    const tracker = trackerOn(port);
    const send = trackerSender(tracker);
    const t0 = Date.now();
    const identify = (await tracker.prepareIdentify(ADA, { email: 'ada@example.test' }, { anonymousId: ANON }))!;
    expect(await sendNow(db, send, [identify], t0)).toMatchObject({ retrying: 1 });

    // The pipeline is back, but the identify is in backoff: the next request's track of Ada must not overtake it.
    const calls = await pipelineOn(port);
    const loggedIn = (await tracker.prepareTrack(
      'Logged In',
      { method: 'password' },
      { userId: ADA, anonymousId: ANON },
    ))!;
    expect(await sendNow(db, send, [loggedIn], t0 + 1_000)).toMatchObject({ sent: 0 });
    // Another person is not held up by Ada's failure.
    const other = (await tracker.prepareTrack(
      'Logged In',
      { method: 'password' },
      { userId: 'cus_Other00000000000', anonymousId: null },
    ))!;
    expect(await sendNow(db, send, [other], t0 + 1_000)).toMatchObject({ sent: 1 });

    expect(await deliverShopEvents(db, send, t0 + MINUTE)).toMatchObject({ sent: 2 });
    expect(calls.map((c) => [c.type, c.userId, c.messageId])).toEqual([
      ['track', 'cus_Other00000000000', other.messageId],
      ['identify', ADA, identify.messageId],
      ['track', ADA, loggedIn.messageId],
    ]);
  });

  it("sends a person's next request's calls right after the ones still on their way (not at the minute pass)", async () => {
    const tracker = trackerOn(freePortSync());
    const sent: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    // The first call is acknowledged only once the second request has written its own.
    const send: OutboxSender = async (call) => {
      if (!sent.length) await slow;
      sent.push(call.messageId);
      return true;
    };
    const identify = (await tracker.prepareIdentify(ADA, {}, { anonymousId: ANON }))!;
    const added = (await tracker.prepareTrack(
      'Logged In',
      { method: 'password' },
      { userId: ADA, anonymousId: ANON },
    ))!;
    const first = sendRecorded(db, send, await recordForSending(db, [identify]), [identify]);
    const second = sendRecorded(db, send, await recordForSending(db, [added]), [added]);
    // Time for the second send to claim its row while the first is still unacknowledged.
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    expect(await first).toMatchObject({ sent: 1 });
    expect(await second).toMatchObject({ sent: 1 });
    expect(sent).toEqual([identify.messageId, added.messageId]);
    expect((await shopEventOutboxState(db)).counts).toMatchObject({ pending: 0, sent: 2 });
  });

  it("follows up on a call handed back behind another instance's call of the same person once that one is sent", async () => {
    const tracker = trackerOn(freePortSync());
    const sent: string[] = [];
    const send: OutboxSender = async (call) => (sent.push(call.messageId), true);
    const identify = (await tracker.prepareIdentify(ADA, {}, { anonymousId: ANON }))!;
    const order = (await tracker.prepareTrack(
      'Logged In',
      { method: 'password' },
      { userId: ADA, anonymousId: ANON },
    ))!;
    // Another instance claimed Ada's identify and is sending it; this one's next call of hers is handed back.
    const [theirs] = await recordForSending(db, [identify]);
    const [held] = await claimDueRows(db, 'shop_event_outbox', Date.now(), 5 * MINUTE, 1, [theirs!]);
    expect(await sendRecorded(db, send, await recordForSending(db, [order]), [order])).toMatchObject({ sent: 0 });
    const following = followUpHeld(db, send);
    // The other instance's send is acknowledged: the follow-up sends the call within a recheck, not at the minute.
    await markRowsSent(db, 'shop_event_outbox', [held!.id], Date.now(), true);
    await following;
    expect(sent).toEqual([order.messageId]);
    expect((await shopEventOutboxState(db)).counts).toMatchObject({ pending: 0, sent: 2 });
  });

  it("shows a row claimed for an attempt in flight, not as due at the claim's expiry (as the forward queue does)", async () => {
    const tracker = trackerOn(freePortSync());
    const identify = (await tracker.prepareIdentify(ADA, {}, { anonymousId: ANON }))!;
    const t0 = Date.now();
    await sendNow(db, trackerSender(tracker), [identify], t0);
    const [row] = (await shopEventOutboxState(db, { nowMs: t0 })).failing;
    const claimAt = Date.parse(row!.next_attempt_at!);
    await claimDueRows(db, 'shop_event_outbox', claimAt, 5 * MINUTE);
    expect((await shopEventOutboxState(db, { nowMs: claimAt + 1 })).failing[0]).toMatchObject({
      next_attempt_at: null,
      in_flight_since: new Date(claimAt).toISOString(),
      in_flight_until: new Date(claimAt + 5 * MINUTE).toISOString(),
    });
  });

  it('still delivers Order Completed rows written before calls had a type (migration 0021 payloads)', async () => {
    const port = freePortSync();
    const calls = await pipelineOn(port);
    const placed = await placeOrder(db, checkout('old@example.test', cart), undefined, tracked);
    if (!('orderId' in placed)) throw new Error(`not placed: ${placed.status}`);
    // The row as 0021's code wrote it: the same call without `type`.
    const row = await db.selectFrom('shop_event_outbox').select(['id', 'payload']).executeTakeFirstOrThrow();
    const { type, ...old } = JSON.parse(row.payload) as Record<string, unknown>;
    expect(type).toBe('track');
    await db
      .updateTable('shop_event_outbox')
      .set({ payload: JSON.stringify(old) })
      .where('id', '=', row.id)
      .execute();
    expect(await deliverShopEvents(db, senderTo(port))).toMatchObject({ sent: 1, dead: 0 });
    expect(calls).toEqual([
      expect.objectContaining({
        type: 'track',
        event: 'Order Completed',
        messageId: orderCompletedMessageId(placed.orderId),
        properties: expect.objectContaining({ order_id: placed.orderId }),
      }),
    ]);
  });
});

describe("the shop's outbox when its database fails mid-pass", () => {
  it('marks a call the pipeline took as sent, never sends it again, and hands the rest back at once', async () => {
    const tracker = trackerOn(freePortSync());
    const sent: string[] = [];
    const send: OutboxSender = async (call) => (sent.push(call.messageId), true);
    const people = ['cus_Fail0000000000001', 'cus_Fail0000000000002', 'cus_Fail0000000000003'];
    const calls = await Promise.all(
      people.map(
        async (userId) =>
          (await tracker.prepareTrack('Logged In', { method: 'password' }, { userId, anonymousId: null }))!,
      ),
    );
    await recordForSending(db, calls);
    // Marking the first acknowledged call sent fails (the database busy past its timeout): the pass stops there.
    const failing = failOnce(db, (node) => setsColumn(node, 'sent_at'));
    const t0 = Date.now();
    await expect(deliverShopEvents(failing, send, t0)).rejects.toThrow(/database is locked/);
    expect(sent).toEqual([calls[0]!.messageId]);

    // Within seconds, not once the five-minute claim has run out; and the first is not sent twice.
    expect(await deliverShopEvents(failing, send, t0 + 1_000)).toMatchObject({ sent: 2 });
    expect(await deliverShopEvents(failing, send, t0 + 5 * MINUTE + 1)).toMatchObject({ sent: 0 });
    expect(sent).toEqual(calls.map((c) => c.messageId));
    expect((await shopEventOutboxState(db)).counts).toMatchObject({ pending: 0, sent: 3 });
  });
});
