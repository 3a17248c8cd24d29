import 'server-only';
import type { DB } from '@/lib/db';
import { nextAttemptAt } from '@/lib/common/backoff';
import { DAY, MINUTE } from '@/lib/common/duration';
import {
  claimDueRows,
  markRowFailed,
  markRowsSent,
  pruneSentRows,
  queueSummary,
  releaseRows,
  type ClaimedRow,
} from '@/lib/db/retry-queue';
import type { EventProps } from '@/lib/tracking/plan';
import type { ServerTracker } from '@/lib/tracking/server';

/**
 * The shop's outbox: events only its server knows (Order Completed) are written in the transaction that stores
 * what they report, then sent to the pipeline and retried until it acknowledges them, so nothing the shop
 * acknowledged to a buyer is lost to an unreachable pipeline or a crash. Each row keeps its messageId and time for
 * every attempt (the pipeline keeps one copy). Claims, backoff, the day of retries and dead letters are the forward
 * queue's (lib/db/retry-queue.ts, lib/common/backoff.ts); a customer's events go out in order.
 */
const QUEUE = 'shop_event_outbox';
/** A claimed row is hidden from other instances this long: ample for the node SDK's three tries of 5 s. */
const CLAIM_MS = 5 * MINUTE;

/** A track call as the shop's server tracker sends it, with everything needed to send it again identically. */
export type OutboxCall = {
  event: 'Order Completed';
  properties: EventProps<'Order Completed'>;
  userId: string;
  anonymousId: string | null;
  messageId: string;
  /** When it happened (ISO), not when it is delivered. */
  timestamp: string;
};

/** Sends one call; true once the pipeline acknowledged it, else why not (`retry`: worth another attempt). */
export type OutboxSender = (call: OutboxCall) => Promise<true | { error: string; retry: boolean }>;

/** Writes the call with what it reports (call it inside that transaction). A messageId already queued is kept. */
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
      person_key: call.userId,
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
export async function deliverShopEvents(db: DB, send: OutboxSender, nowMs = Date.now()): Promise<OutboxPass> {
  const pass: OutboxPass = { sent: 0, retrying: 0, dead: 0, waiting: 0 };
  const rows = await claimDueRows(db, QUEUE, nowMs, CLAIM_MS);
  for (const [i, row] of rows.entries()) {
    const outcome = await send(JSON.parse(row.payload) as OutboxCall).catch((err: unknown) => ({
      error: `could not be sent: ${(err as Error).message}`,
      retry: false,
    }));
    if (outcome === true) {
      await markRowsSent(db, QUEUE, [row.id], nowMs, true);
      pass.sent++;
      continue;
    }
    const retryAt = outcome.retry ? nextAttemptAt(row, nowMs, null) : null;
    await markRowFailed(db, QUEUE, row, { error: outcome.error, retryAt, nowMs });
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
    pass.waiting += rest.length;
    break;
  }
  return pass;
}

/** Delivered rows are kept a week (what was sent, for the console), then deleted: the table stays small. */
export const KEEP_SENT_MS = 7 * DAY;
export const pruneSentShopEvents = (db: DB, nowMs = Date.now()) =>
  pruneSentRows(db, QUEUE, new Date(nowMs - KEEP_SENT_MS).toISOString());

/** What the ops API shows: counts by status, the oldest undelivered row and the rows failing or dead-lettered. */
export async function shopEventOutboxState(db: DB, limit = 100) {
  const { counts, oldestPendingAt } = await queueSummary(db, QUEUE, ['pending', 'sent', 'dead']);
  const failing = await db
    .selectFrom(QUEUE)
    .select(['id', 'message_id', 'status', 'attempts', 'last_error', 'created_at', 'next_attempt_at'])
    .where((eb) =>
      eb.or([eb('status', '=', 'dead'), eb.and([eb('status', '=', 'pending'), eb('last_error', 'is not', null)])]),
    )
    .$narrowType<{ status: 'pending' | 'dead' }>()
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return {
    counts,
    oldest_pending_at: oldestPendingAt,
    failing: failing.map((r) => ({
      ...r,
      next_attempt_at: r.status === 'dead' ? null : new Date(Number(r.next_attempt_at)).toISOString(),
    })),
  };
}

/**
 * Sends through the shop's server tracker, the road every server event takes (plan check, server key, node SDK
 * with its own quick retries). With explicit ids only: no request's cookie or consent is read at send time
 * (consent was the order request's, when the call was recorded).
 */
export const trackerSender =
  (tracker: ServerTracker): OutboxSender =>
  async (call) => {
    const { userId, anonymousId, messageId, timestamp } = call;
    const result = await tracker.trackServerOnly(call.event, call.properties, {
      userId,
      anonymousId,
      messageId,
      timestamp,
    });
    if (!result.sent)
      return { error: 'The tracker refused it (tracking plan or ids: see the server log)', retry: false };
    if (await result.delivered) return true;
    return { error: 'The pipeline did not acknowledge it (unreachable, or it answered with an error)', retry: true };
  };
