import 'server-only';
import type { Selectable } from 'kysely';
import type { DB } from '@/lib/db';
import { queueSummary } from '@/lib/db/retry-queue';
import type { CdpForwardQueueTable } from '@/lib/db/tables/cdp';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function callOf(payload: string): { type: string | null; event: string | null } {
  try {
    const call = JSON.parse(payload) as { type?: unknown; event?: unknown };
    return {
      type: typeof call.type === 'string' ? call.type : null,
      event: typeof call.event === 'string' ? call.event : null,
    };
  } catch {
    return { type: null, event: null };
  }
}

type QueueRow = Selectable<CdpForwardQueueTable>;
type Listed = 'pending' | 'dead';

/**
 * A row as `forwardRow` in ops/contract.ts, at wall-clock `nowMs`. A row claimed for an attempt holds the claim's
 * expiry in next_attempt_at, which is not when it will next be tried: it is shown in flight (since, until) with
 * no next attempt. Past the expiry (the instance that claimed it died) it is due again: a next attempt, no flight.
 */
const toForwardRow = (r: QueueRow & { status: Listed }, nowMs: number) => {
  const inFlight = r.status === 'pending' && r.claimed_at !== null && Number(r.next_attempt_at) > nowMs;
  return {
    id: r.id,
    message_id: r.message_id,
    ...callOf(r.payload),
    person_key: r.person_key,
    status: r.status,
    attempts: r.attempts,
    last_error: r.last_error,
    created_at: r.created_at,
    failing_since: iso(r.failing_since),
    next_attempt_at: r.status === 'pending' && !inFlight ? iso(r.next_attempt_at) : null,
    in_flight_since: inFlight ? iso(r.claimed_at) : null,
    in_flight_until: inFlight ? iso(r.next_attempt_at) : null,
  };
};

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
    dead: dead.map((r) => toForwardRow({ ...r, status: 'dead' }, nowMs)),
    retrying: retrying.map((r) => toForwardRow({ ...r, status: 'pending' }, nowMs)),
  };
}
