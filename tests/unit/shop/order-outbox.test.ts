import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { DAY, MINUTE } from '@/lib/common/duration';
import {
  deliverShopEvents,
  pruneSentShopEvents,
  shopEventOutboxState,
  trackerSender,
} from '@/lib/shop/server/event-outbox';
import { orderCompletedMessageId } from '@/lib/shop/server/ids';
import { placeOrder } from '@/lib/shop/server/orders';
import { createServerTracker } from '@/lib/tracking/server';
import { freePortSync } from '@/scripts/free-port.mjs';
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

/** The pipeline's ingest, back on `port`: records every call it acknowledges. */
async function pipelineOn(port: number): Promise<Array<Record<string, unknown>>> {
  const calls: Array<Record<string, unknown>> = [];
  pipeline = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      calls.push(...(JSON.parse(body) as { batch: Array<Record<string, unknown>> }).batch);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
    });
  });
  await new Promise<void>((resolve) => pipeline!.listen(port, '127.0.0.1', resolve));
  return calls;
}

const senderTo = (port: number) =>
  trackerSender(
    createServerTracker({ writeKey: 'k', host: `http://127.0.0.1:${port}`, path: '/api/cdp/v1/batch', strict: true }),
  );

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
