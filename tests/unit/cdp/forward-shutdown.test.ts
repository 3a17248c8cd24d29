import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { deliverDue, type ForwardTarget } from '@/lib/cdp/forward/deliver';
import { drainBackgroundWork, asBackgroundWork } from '@/lib/common/background-work';
import { resetProcessState } from '@/lib/common/process-state';
import { heldCustomerIo } from '../../e2e/support/held-customerio';
import { sharedDatabase } from '../support/database';
import { freshDb, ingest, T0, track } from './support';

// A server told to stop (a deploy's SIGTERM) during a forwarding pass: the batch in flight finishes and is marked
// sent, the pass sends no further batch, and what it had claimed is handed back due at once instead of staying
// claimed for five minutes; a batch Customer.io does not answer in time is abandoned and handed back too
// (lib/common/background-work.ts). The pass runs as the forwarder runs it (flushForwardQueue): as background work.
// And a pass that runs as long as its claim stops sending before another instance may claim its rows.

let db: DB;
let upstream: Awaited<ReturnType<typeof heldCustomerIo>>;
let target: ForwardTarget;
beforeEach(async () => {
  db = await freshDb();
  upstream = await heldCustomerIo();
  target = { url: `${upstream.origin}/v1/batch`, writeKey: 'cio-key' };
});
afterEach(async () => {
  await upstream.stop();
  await resetProcessState();
});

/** 150 calls: two batches (100 calls a request). */
async function queue150() {
  const calls = Array.from({ length: 150 }, (_, i) => ({
    ...track('Product Viewed', { anonymousId: `p${i % 3}` }),
    messageId: `m${String(i).padStart(3, '0')}`,
  }));
  await ingest(db, calls, T0, { forward: true });
  return calls.map((c) => c.messageId);
}

/** The rows not sent: all pending, none claimed, none counted as an attempt, due by `now`. */
async function handedBack(now: number) {
  const rows = await db
    .selectFrom('cdp_forward_queue')
    .select(['message_id', 'status', 'attempts', 'claimed_at', 'next_attempt_at'])
    .where('status', '!=', 'sent')
    .orderBy('message_id')
    .execute();
  expect(rows.filter((r) => r.status !== 'pending' || r.claimed_at !== null || r.attempts !== 0)).toEqual([]);
  expect(Math.max(...rows.map((r) => Number(r.next_attempt_at))), 'due at once, not in 5 minutes').toBeLessThan(now);
  return rows.map((r) => r.message_id);
}

describe('a server stopping during a forwarding pass', () => {
  it('lets the batch in flight finish and be marked sent, sends no other, and hands the rest back due now', async () => {
    const all = await queue150();
    const pass = asBackgroundWork(() => deliverDue(db, target)).catch((error: unknown) => error);
    await upstream.batchArrived();
    const drained = drainBackgroundWork({ abandonAt: Date.now() + 15_000, until: Date.now() + 16_000 });
    // Customer.io takes the first batch only after the server was told to stop.
    upstream.answer(200);
    expect(await drained).toEqual({ running: 0, abandoned: false });
    expect(await pass).toMatchObject({ name: 'ShutdownError' });
    expect(upstream.accepted).toEqual(all.slice(0, 100));
    const sent = await db.selectFrom('cdp_forward_queue').select('message_id').where('status', '=', 'sent').execute();
    expect(sent.map((r) => r.message_id).sort()).toEqual(all.slice(0, 100));
    expect(await handedBack(Date.now())).toEqual(all.slice(100));
  });

  it('abandons a batch Customer.io does not answer before the deadline, and hands every row back', async () => {
    const all = await queue150();
    const pass = asBackgroundWork(() => deliverDue(db, target)).catch((error: unknown) => error);
    await upstream.batchArrived();
    const drained = await drainBackgroundWork({ abandonAt: Date.now() + 300, until: Date.now() + 10_000 });
    expect(drained).toEqual({ running: 0, abandoned: true });
    expect(await pass).toMatchObject({ name: 'ShutdownError' });
    expect(await handedBack(Date.now())).toEqual(all);
  });
});

describe('a pass that runs as long as its five-minute claim (400s split call by call, slow answers)', () => {
  /** Answers 200 to every batch that arrives until `done` settles. */
  async function answerUntil(done: Promise<unknown>) {
    const over = done.then(() => 'done' as const);
    while ((await Promise.race([upstream.batchArrived().then(() => 'batch' as const), over])) === 'batch')
      upstream.answer(200);
  }

  it('sends no batch its claim may not cover: another instance sends the rest, and no call goes twice', async () => {
    // Two instances on one database; 250 calls: three batches.
    const [one, two] = await sharedDatabase();
    const calls = Array.from({ length: 250 }, (_, i) => ({
      ...track('Product Viewed', { anonymousId: `p${i % 3}` }),
      messageId: `m${String(i).padStart(3, '0')}`,
    }));
    await ingest(one, calls, T0, { forward: true });
    const start = Date.now();
    let now = start;
    const first = deliverDue(one, target, start, { clock: () => now });
    await upstream.batchArrived();
    upstream.answer(200);
    await upstream.batchArrived();
    // The second batch's answer came 4 min 25 s into the claim: a third request (10 s, then its marks) might not.
    now = start + 4 * 60_000 + 25_000;
    upstream.answer(200);
    // Without a stop the pass sent the third batch now; once the claim ran out the other instance took it too.
    await Promise.race([first, upstream.batchArrived()]);
    const second = deliverDue(two, target, start + 5 * 60_000 + 1);
    await answerUntil(Promise.all([first, second]));
    expect(await first).toEqual({ sent: 200, retrying: 0, dead: 0, waiting: 50 });
    expect(await second).toEqual({ sent: 50, retrying: 0, dead: 0, waiting: 0 });
    expect(upstream.accepted).toEqual(calls.map((c) => c.messageId));
    const rows = await two.selectFrom('cdp_forward_queue').select(['status', 'attempts']).execute();
    expect(rows.filter((r) => r.status !== 'sent' || r.attempts !== 0)).toEqual([]);
  });
});
