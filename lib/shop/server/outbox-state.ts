import 'server-only';
import type { DB } from '@/lib/db';
import { DAY } from '@/lib/common/duration';
import { pruneSentRows, queueRowView, queueSummary, replayDeadRows } from '@/lib/db/retry-queue';
import { outboxPauseView } from './outbox-pause';

/** The shop's outbox table (event-outbox.ts): what the console shows of it, its replay and its pruning. */
export const SHOP_OUTBOX = 'shop_event_outbox';
const QUEUE = SHOP_OUTBOX;

/** Delivered rows are kept a week (what was sent, for the console), then deleted: the table stays small. */
export const KEEP_SENT_MS = 7 * DAY;
export const pruneSentShopEvents = (db: DB, nowMs = Date.now()) =>
  pruneSentRows(db, QUEUE, new Date(nowMs - KEEP_SENT_MS).toISOString());

/**
 * What the ops API shows: counts by status, the oldest undelivered row and the rows failing or dead-lettered,
 * newest first, as the forward queue's rows are shown (queueRowView: a claimed row is in flight, not due), and the
 * pause.
 */
export async function shopEventOutboxState(db: DB, { limit = 100, nowMs = Date.now() } = {}) {
  const { counts, oldestPendingAt } = await queueSummary(db, QUEUE, ['pending', 'sent', 'dead']);
  const failing = await db
    .selectFrom(QUEUE)
    .selectAll()
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
    failing: failing.map((r) => queueRowView(r, nowMs)),
    /** This process's pause on a refused key or address (outbox-pause.ts), or null. */
    paused: outboxPauseView(),
  };
}

/** Dead letters (all, or `ids`: all or none, replayDeadRows) queued again with a fresh day of retries. */
export const replayDeadShopEvents = (db: DB, ids?: readonly number[], nowMs = Date.now()) =>
  replayDeadRows(db, QUEUE, nowMs, ids);
