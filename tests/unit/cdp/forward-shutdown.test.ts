import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { deliverDue, type ForwardTarget } from '@/lib/cdp/forward/deliver';
import { drainBackgroundWork, asBackgroundWork } from '@/lib/common/background-work';
import { resetProcessState } from '@/lib/common/process-state';
import { heldCustomerIo } from '../../e2e/support/held-customerio';
import { freshDb, ingest, T0, track } from './support';

// A server told to stop (a deploy's SIGTERM) during a forwarding pass: the batch in flight finishes and is marked
// sent, the pass sends no further batch, and what it had claimed is handed back due at once instead of staying
// claimed for five minutes; a batch Customer.io does not answer in time is abandoned and handed back too
// (lib/common/background-work.ts). The pass runs as the forwarder runs it (flushForwardQueue): as background work.

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
