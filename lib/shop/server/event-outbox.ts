import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { DB } from '@/lib/db';
import { nextAttemptAt } from '@/lib/common/backoff';
import { MINUTE, SECOND } from '@/lib/common/duration';
import { processState } from '@/lib/common/process-state';
import {
  asBackgroundWork,
  isStopping,
  stoppingSignal,
  throwIfStopping,
  unlessAbandoned,
} from '@/lib/common/background-work';
import { ClaimLedger, requestWindow } from '@/lib/db/claim-ledger';
import {
  claimDueRows,
  markRowFailed,
  markRowsSent,
  moveBehind,
  releaseRows,
  type ClaimedRow,
  WAITING_RECHECK_MS,
} from '@/lib/db/retry-queue';
import { endOutboxPause, outboxPausedAt, pauseOutbox } from './outbox-pause';
import { SHOP_OUTBOX } from './outbox-state';

export { KEEP_SENT_MS, pruneSentShopEvents, replayDeadShopEvents, shopEventOutboxState } from './outbox-state';

/**
 * The shop's outbox: the calls its server makes to the pipeline (Order Completed, every identify, the cart and
 * checkout mirrors, an unsubscription) are written here, then sent and retried until the pipeline acknowledges
 * them, so nothing the shop acknowledged is lost to an unreachable pipeline or a crash. Order Completed is written
 * in the order's transaction and sent after the response; the others are written in the request that makes them
 * and sent at once, the request waiting for the write but not for the pipeline (recordForSending, sendRecorded).
 * Each row keeps its messageId and time for every attempt (the pipeline keeps one copy). Claims, backoff, the day
 * of retries and dead letters are the forward queue's (lib/db/retry-queue.ts,
 * lib/common/backoff.ts); a person's calls go out in order.
 */
const QUEUE = SHOP_OUTBOX;
/** A claimed row is hidden from other instances this long; a pass that runs longer stops sending before it ends. */
const CLAIM_MS = 5 * MINUTE;
/** The longest a send may take: the node SDK's three tries of 5 s and its backoff, then the refusal check. */
const SEND_MS = 30 * SECOND;

const ids = {
  anonymousId: z.string().min(1).nullable(),
  messageId: z.string().min(1),
  /** When it happened (ISO), not when it is delivered. */
  timestamp: z.string().min(1),
};
const trackCall = z.object({
  type: z.literal('track'),
  event: z.string().min(1),
  properties: z.record(z.string(), z.unknown()),
  userId: z.string().min(1).nullable(),
  ...ids,
});
const identifyCall = z.object({
  type: z.literal('identify'),
  userId: z.string().min(1),
  traits: z.record(z.string(), z.unknown()),
  ...ids,
});
/**
 * A stored call, everything needed to send it again identically (PreparedCall of lib/tracking/server.ts). The
 * first rows (Order Completed, before identify calls came here) have no `type`: they are tracks.
 */
export const outboxCallSchema = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !('type' in v) ? { ...v, type: 'track' } : v),
  z.discriminatedUnion('type', [trackCall, identifyCall]),
);
export type OutboxCall = z.infer<typeof outboxCallSchema>;

/**
 * Sends one call; true once the pipeline acknowledged it, else why not (`retry`: worth another attempt; `refused`:
 * the pipeline refused the request itself, whatever the call: its key or address, and the outbox pauses).
 */
export type OutboxSender = (
  call: OutboxCall,
) => Promise<true | { error: string; retry: boolean } | { error: string; refused: number }>;

/** Whose calls go out in order: the customer, else the browser. */
const personKey = (call: OutboxCall) => call.userId ?? call.anonymousId;

/**
 * Writes the call (inside the transaction that stores what it reports, when there is one). A messageId already
 * queued is kept as it was.
 */
export async function recordShopEvent(trx: DB, call: OutboxCall, now: Date): Promise<void> {
  await trx
    .insertInto(QUEUE)
    .values({
      message_id: call.messageId,
      payload: JSON.stringify(call),
      status: 'pending',
      attempts: 0,
      next_attempt_at: 0,
      last_error: null,
      created_at: now.toISOString(),
      sent_at: null,
      person_key: personKey(call),
      failing_since: null,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

export type OutboxPass = { sent: number; retrying: number; dead: number; waiting: number };

/**
 * One pass over the due rows, oldest first: each is sent through `send` and marked sent, or retried with backoff
 * (dead-lettered after a day of failures, or at once when it can never be sent). The first retryable failure ends
 * the pass: the pipeline is down, and the rest wait until the failed row's next attempt. Wall-clock times.
 */
export async function deliverShopEvents(
  db: DB,
  send: OutboxSender,
  nowMs?: number,
  { clock }: { clock?: () => number } = {},
): Promise<OutboxPass> {
  // After this process's sends still on their way: claimed behind them, their people's later calls (an order's
  // Order Completed after the checkout's identify) would be handed back to the next minute's pass.
  await Promise.all(sendsInProcess().values());
  return claimAndSend(db, send, nowMs ?? Date.now(), undefined, clock);
}

/**
 * Writes calls made in a request in one transaction: once this returns they are durable, whatever becomes of the
 * send that follows (`sendRecorded`). Returns their rows' ids (a messageId already queued keeps its row). `before`:
 * the messageIds of calls already queued that these go ahead of (moveBehind), their ids returned too, to be sent with them.
 */
export async function recordForSending(
  db: DB,
  calls: readonly OutboxCall[],
  nowMs = Date.now(),
  before: readonly string[] = [],
): Promise<number[]> {
  if (!calls.length) return [];
  const moved = await db.transaction().execute(async (trx) => {
    for (const call of calls) await recordShopEvent(trx, call, new Date(nowMs));
    return moveBehind(trx, QUEUE, before);
  });
  const written = await db
    .selectFrom(QUEUE)
    .select('id')
    .where(
      'message_id',
      'in',
      calls.map((c) => c.messageId),
    )
    .execute();
  return [...written.map((r) => r.id), ...moved].sort((x, y) => x - y);
}

/**
 * Each person's latest send from this process: the next one of theirs, and any pass, starts after it (on
 * globalThis: the actions and the scheduler's jobs are bundled apart, lib/common/process-state.ts).
 */
const state = processState<{ __shopOutboxSends: Map<string, Promise<unknown>> }>({ __shopOutboxSends: null });
const sendsInProcess = () => (state.__shopOutboxSends ??= new Map());

/**
 * Sends rows `recordForSending` wrote, in order, each acknowledged before the next goes, once this process's
 * earlier sends for the same people are done: a person's second request (a second cart change) usually comes
 * while the first one's calls are still on their way, and claiming behind them would leave its calls to the
 * minute pass (claimDueRows hands back a call with an earlier one of its person pending). What fails, or waits
 * behind a call another instance holds, is left to the minute pass. `people`: the calls (their person keys);
 * `at`: the claim's time (tests), else the time the send starts.
 */
export function sendRecorded(
  db: DB,
  send: OutboxSender,
  ids: readonly number[],
  people: readonly OutboxCall[],
  at?: number,
): Promise<OutboxPass> {
  const keys = [...new Set(people.flatMap((c) => personKey(c) ?? []))];
  const sends = sendsInProcess();
  const earlier = Promise.all(keys.map((k) => sends.get(k)));
  const task = earlier.then(async () => {
    return claimAndSend(db, send, at ?? Date.now(), ids);
  });
  const settled = task.catch(() => undefined);
  for (const k of keys) sends.set(k, settled);
  void settled.then(() => {
    for (const k of keys) if (sends.get(k) === settled) sends.delete(k);
  });
  return task;
}

/** How long after a send its process keeps looking for calls handed back behind another instance's (followUpHeld). */
export const FOLLOW_UP_MS = 30 * 1000;

/**
 * A call claimed while an earlier call of its person is on its way from another instance is handed back, due again
 * within WAITING_RECHECK_MS (claimDueRows), and nothing but the minute's pass (with CDP_SCHEDULER=off, the next cron
 * tick) would look at it again. After a request's send, its process passes again whenever such a call is due, for
 * FOLLOW_UP_MS at most. Handed-back calls are the pending ones never attempted, unclaimed, with a time set.
 */
export async function followUpHeld(db: DB, send: OutboxSender, until = Date.now() + FOLLOW_UP_MS): Promise<void> {
  // A stopping server follows up nothing: the minute pass, of another instance or the next start, does; nor does a
  // paused outbox (the calls a refusal handed back are due, and would be looked at in a loop): its next probe does.
  while (!isStopping() && !outboxPausedAt(Date.now())) {
    const next = await db
      .selectFrom(QUEUE)
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending')
      .where('attempts', '=', 0)
      .where('claimed_at', 'is', null)
      .where('next_attempt_at', '>', 0)
      .executeTakeFirst();
    const at = next?.at === null || next?.at === undefined ? null : Number(next.at);
    if (at === null || at > until) return;
    const wait = Math.min(Math.max(0, at - Date.now()), WAITING_RECHECK_MS);
    // Cut short by a stopping server (the loop then ends).
    await sleep(wait, undefined, { signal: stoppingSignal() }).catch(() => undefined);
    if (!isStopping()) await deliverShopEvents(db, send);
  }
}

/** Both, awaited (scripts and tests). */
export const sendNow = async (db: DB, send: OutboxSender, calls: readonly OutboxCall[], nowMs = Date.now()) =>
  sendRecorded(db, send, await recordForSending(db, calls, nowMs), calls, nowMs);

/**
 * Claims the due rows (`only` these, when given) and sends them. A database error mid-pass hands back what was not
 * settled and marks sent what the pipeline took (lib/db/claim-ledger.ts), instead of leaving them claimed for
 * CLAIM_MS and sending those again then; so does a stopping server (lib/common/background-work.ts), before the
 * next row, or during a send it abandons (the pipeline keeps one copy of a call it then gets twice). The pass also
 * stops, handing back the rest due at once with no attempt counted, when the claim is running out (another instance
 * could claim them and send them too) or the pipeline refused a send as a whole (outbox-pause.ts: while paused, no
 * pass claims anything). `clock`: wall-clock ms during the pass (tests).
 */
function claimAndSend(
  db: DB,
  send: OutboxSender,
  nowMs: number,
  only?: readonly number[],
  clock?: () => number,
): Promise<OutboxPass> {
  const pass: OutboxPass = { sent: 0, retrying: 0, dead: 0, waiting: 0 };
  if (outboxPausedAt(nowMs)) return Promise.resolve(pass);
  const ledger = new ClaimLedger(QUEUE, nowMs, true);
  return asBackgroundWork(() =>
    ledger.run(db, async () => {
      const rows = await claimDueRows(db, QUEUE, nowMs, CLAIM_MS, only?.length, only, (ids) => ledger.claimed(ids));
      const { now, mayStart } = requestWindow(nowMs, CLAIM_MS, SEND_MS, clock);
      for (const [i, row] of rows.entries()) {
        throwIfStopping();
        if (!mayStart()) break;
        const outcome = await unlessAbandoned(sendRow(send, row.payload));
        if (outcome !== true && 'refused' in outcome) {
          pauseOutbox(now(), outcome.refused, outcome.error);
          break;
        }
        endOutboxPause(now());
        if (outcome === true) {
          ledger.delivered([row.id]);
          await markRowsSent(db, QUEUE, [row.id], nowMs, true);
          ledger.settled([row.id]);
          pass.sent++;
          continue;
        }
        const retryAt = outcome.retry ? nextAttemptAt(row, nowMs, null) : null;
        await markRowFailed(db, QUEUE, row, { error: outcome.error, retryAt, nowMs });
        ledger.settled([row.id]);
        if (retryAt === null) {
          pass.dead++;
          continue;
        }
        pass.retrying++;
        const rest = rows.slice(i + 1);
        await releaseRows(
          db,
          QUEUE,
          rest.map((r: ClaimedRow) => r.id),
          retryAt,
        );
        ledger.settled(rest.map((r) => r.id));
        pass.waiting += rest.length;
        break;
      }
      if (ledger.unsettled) {
        pass.waiting += ledger.unsettled;
        await ledger.settle(db);
      }
      return pass;
    }),
  );
}

/** A stored payload that is not a call (hand-edited, or from a newer version) is a dead letter that says so. */
async function sendRow(send: OutboxSender, payload: string): ReturnType<OutboxSender> {
  let call: OutboxCall;
  try {
    call = outboxCallSchema.parse(JSON.parse(payload));
  } catch (err) {
    return { error: `The stored call is not one the shop can send: ${(err as Error).message}`, retry: false };
  }
  return send(call).catch((err: unknown) => ({ error: `could not be sent: ${(err as Error).message}`, retry: false }));
}
