import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { drainBackgroundWork } from '@/lib/common/background-work';
import { resetProcessState } from '@/lib/common/process-state';
import {
  deliverShopEvents,
  recordForSending,
  type OutboxCall,
  type OutboxSender,
} from '@/lib/shop/server/event-outbox';
import { freshDb } from '../support/database';

// A server told to stop during a pass of the shop's outbox: the call being sent finishes and is marked sent, no
// further call is sent, and the rest are handed back due at once (not claimed for five minutes); a send the
// pipeline does not answer before the deadline is abandoned and handed back too (lib/common/background-work.ts).
let db: DB;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(() => resetProcessState());

const calls: OutboxCall[] = ['a', 'b', 'c'].map((id) => ({
  type: 'track',
  event: 'Logged In',
  properties: { method: 'password', schema_version: 1 },
  userId: null,
  anonymousId: `anon-${id}`,
  messageId: `m-${id}`,
  timestamp: '2026-03-01T12:00:00.000Z',
}));

/** A sender whose first send waits for `answer`; `reached` resolves when that send has begun. */
function heldSender() {
  const sent: string[] = [];
  let reached = () => {};
  const started = new Promise<void>((resolve) => (reached = resolve));
  let answer: (delivered: boolean) => void = () => {};
  const answered = new Promise<boolean>((resolve) => (answer = resolve));
  const send: OutboxSender = async (call) => {
    reached();
    if (!(await answered)) return { error: 'unreachable', retry: true };
    sent.push(call.messageId);
    return true;
  };
  return { send, sent, started, answer };
}

async function outbox() {
  return db
    .selectFrom('shop_event_outbox')
    .select(['message_id', 'status', 'attempts', 'claimed_at', 'next_attempt_at'])
    .orderBy('message_id')
    .execute();
}

describe("a server stopping during a pass of the shop's outbox", () => {
  it('lets the send in flight finish, sends nothing more and hands the rest back due now', async () => {
    await recordForSending(db, calls);
    const { send, sent, started, answer } = heldSender();
    const pass = deliverShopEvents(db, send).catch((error: unknown) => error);
    await started;
    const drained = drainBackgroundWork({ abandonAt: Date.now() + 15_000, until: Date.now() + 16_000 });
    answer(true);
    expect(await drained).toEqual({ running: 0, abandoned: false });
    expect(await pass).toMatchObject({ name: 'ShutdownError' });
    expect(sent).toEqual(['m-a']);
    const now = Date.now();
    expect(await outbox()).toEqual([
      expect.objectContaining({ message_id: 'm-a', status: 'sent' }),
      ...['m-b', 'm-c'].map((id) => expect.objectContaining({ message_id: id, status: 'pending', claimed_at: null })),
    ]);
    for (const row of (await outbox()).slice(1)) {
      expect(row.attempts).toBe(0);
      expect(Number(row.next_attempt_at), 'due at once, not in 5 minutes').toBeLessThan(now);
    }
  });

  it('abandons a send the pipeline does not answer before the deadline, and hands every call back', async () => {
    await recordForSending(db, calls);
    const { send, started } = heldSender();
    const pass = deliverShopEvents(db, send).catch((error: unknown) => error);
    await started;
    expect(await drainBackgroundWork({ abandonAt: Date.now() + 300, until: Date.now() + 10_000 })).toEqual({
      running: 0,
      abandoned: true,
    });
    expect(await pass).toMatchObject({ name: 'ShutdownError' });
    const now = Date.now();
    for (const row of await outbox()) {
      expect(row).toMatchObject({ status: 'pending', claimed_at: null, attempts: 0 });
      expect(Number(row.next_attempt_at)).toBeLessThan(now);
    }
  });
});
