import 'server-only';
import type { DB } from '@/lib/db';
import { queueRowView, queueSummary } from '@/lib/db/retry-queue';

/**
 * The forward queue for the console and GET /api/ops/forwarding (`forwardingResponse`): counts by status, the
 * dead-letter list (newest first) and the rows in backoff (oldest first), `limit` of each.
 */
export async function forwardQueueState(
  db: DB,
  { target, limit = 100, nowMs = Date.now() }: { target: string | null; limit?: number; nowMs?: number },
) {
  const [{ counts, oldestPendingAt }, lastFailure, dead, retrying] = await Promise.all([
    queueSummary(db, 'cdp_forward_queue', ['pending', 'sent', 'dead', 'held']),
    db
      .selectFrom('cdp_forward_queue')
      .select('last_error')
      .where('status', 'in', ['pending', 'dead'])
      .where('attempts', '>', 0)
      .orderBy('failing_since', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('cdp_forward_queue')
      .selectAll()
      .where('status', '=', 'dead')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('cdp_forward_queue')
      .selectAll()
      .where('status', '=', 'pending')
      .where('attempts', '>', 0)
      .orderBy('id')
      .limit(limit)
      .execute(),
  ]);
  return {
    target,
    counts,
    oldest_pending_at: oldestPendingAt,
    last_error: lastFailure?.last_error ?? null,
    dead: dead.map((r) => queueRowView({ ...r, status: 'dead' }, nowMs)),
    retrying: retrying.map((r) => queueRowView({ ...r, status: 'pending' }, nowMs)),
  };
}
