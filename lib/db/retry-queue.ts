import type { Selectable } from 'kysely';
import type { DB } from './index';
import type { CdpForwardQueueTable } from './tables/cdp';
import { chunks } from './chunks';
import { deleteInChunks } from './delete-in-chunks';
import { inClaimedRows } from './dialect';

/**
 * Queues of calls sent to a server until it acknowledges them, with the same columns (CdpForwardQueueTable):
 * the pipeline's forward queue to Customer.io, and the shop's outbox to the pipeline (ShopEventOutboxTable). Rows
 * are claimed so two instances never send one at once, retried with backoff, dead-lettered, and a person's calls
 * go out in order. Kysely is given the forward queue's name for both: the columns are the same.
 */
export type RetryQueue = 'cdp_forward_queue' | 'shop_event_outbox';
const typed = (queue: RetryQueue) => queue as 'cdp_forward_queue';

export type ClaimedRow = {
  id: number;
  payload: string;
  attempts: number;
  person_key: string | null;
  failing_since: number | null;
};

/** How soon a call waiting behind an earlier call of its person is looked at again, at most. */
export const WAITING_RECHECK_MS = 2_000;

/**
 * Claims the due rows (oldest first) by pushing their next attempt out by `claimMs`: another instance's claim
 * skips them (FOR UPDATE SKIP LOCKED on PostgreSQL), and rows of an instance that dies are due again afterwards
 * (the receiver dedupes such a resend by messageId). A person's calls go out in order: a claimed row with an
 * earlier pending row of the same person outside this claim (in backoff, or claimed by another instance) is
 * handed back at once, so it cannot overtake. `only`: claim none but these rows (a request sending what it just
 * wrote). `onClaimed` learns the rows' ids as soon as they are claimed: should a later statement of the claim fail,
 * its caller can hand them back (ClaimLedger, claim-ledger.ts) instead of leaving them hidden for `claimMs`.
 */
export async function claimDueRows(
  db: DB,
  queue: RetryQueue,
  nowMs: number,
  claimMs: number,
  limit = 1000,
  only?: readonly number[],
  onClaimed?: (ids: number[]) => void,
): Promise<ClaimedRow[]> {
  const table = typed(queue);
  if (only && !only.length) return [];
  let dueIds = db
    .selectFrom(table)
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowMs)
    .orderBy('id')
    .limit(limit);
  if (only) dueIds = dueIds.where('id', 'in', [...only]);
  const claimed = await db
    .updateTable(table)
    .set({ next_attempt_at: nowMs + claimMs, claimed_at: nowMs })
    .where(inClaimedRows(db, 'id', dueIds))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowMs)
    .returning(['id', 'payload', 'attempts', 'person_key', 'failing_since'])
    .execute();
  claimed.sort((a, b) => a.id - b.id);
  onClaimed?.(claimed.map((r) => r.id));
  const people = [...new Set(claimed.flatMap((r) => (r.person_key === null ? [] : [r.person_key])))];
  if (!people.length) return claimed;
  const ours = new Set(claimed.map((r) => r.id));
  // The earliest pending row of each person that this claim does not hold.
  const blockers = new Map<string, { id: number; due: number }>();
  for (const batch of chunks(people)) {
    const rows = await db
      .selectFrom(table)
      .select(['id', 'person_key', 'next_attempt_at'])
      .where('status', '=', 'pending')
      .where('person_key', 'in', batch)
      .where('id', '<', claimed.at(-1)!.id)
      .orderBy('id')
      .execute();
    for (const row of rows)
      if (!ours.has(row.id) && !blockers.has(row.person_key!))
        blockers.set(row.person_key!, { id: row.id, due: Number(row.next_attempt_at) });
  }
  // Handed back, due again with the earlier call's next attempt or sooner: that call may be in another instance's
  // hands (its claim time says nothing about when it is done), and a look every few seconds costs little.
  const releases = new Map<number, number[]>();
  for (const row of claimed) {
    const blocker = row.person_key === null ? undefined : blockers.get(row.person_key);
    if (!blocker || row.id < blocker.id) continue;
    const at = Math.min(blocker.due, nowMs + WAITING_RECHECK_MS);
    releases.set(at, [...(releases.get(at) ?? []), row.id]);
  }
  for (const [at, ids] of releases) await releaseRows(db, queue, ids, at);
  const held = new Set([...releases.values()].flat());
  return claimed.filter((r) => !held.has(r.id));
}

/**
 * Puts the rows with these messageIds behind every row queued so far (a new id: a person's calls go out in id
 * order), so calls written after them go first: a guest's identify before the Order Completed their order's
 * transaction wrote. Only rows never attempted nor claimed move; one already in a sender's hands stays ahead. Call it
 * in the transaction that writes the calls to go first. Returns the moved rows' new ids.
 */
export async function moveBehind(trx: DB, queue: RetryQueue, messageIds: readonly string[]): Promise<number[]> {
  const table = typed(queue);
  const moved: number[] = [];
  for (const messageId of messageIds) {
    const found = await trx
      .selectFrom(table)
      .selectAll()
      .where('message_id', '=', messageId)
      .where('status', '=', 'pending')
      .where('attempts', '=', 0)
      .where('claimed_at', 'is', null)
      .executeTakeFirst();
    if (!found) continue;
    const { id, ...row } = found;
    // Claimed since it was read (another instance's pass): it is on its way, and stays where it is.
    const gone = await trx.deleteFrom(table).where('id', '=', id).where('claimed_at', 'is', null).executeTakeFirst();
    if (Number(gone.numDeletedRows) !== 1) continue;
    const inserted = await trx.insertInto(table).values(row).returning('id').executeTakeFirstOrThrow();
    moved.push(inserted.id);
  }
  return moved;
}

/** Hands claimed rows back, due at `atMs` (they wait behind a person's earlier call). */
export async function releaseRows(db: DB, queue: RetryQueue, ids: number[], atMs: number): Promise<void> {
  for (const batch of chunks(ids))
    await db
      .updateTable(typed(queue))
      .set({ next_attempt_at: atMs, claimed_at: null })
      .where('id', 'in', batch)
      .execute();
}

/**
 * Delivered. Without `keepPayload` the content, emails included, is blanked: the row only remembers the messageId
 * (dedupe) until it is pruned.
 */
export async function markRowsSent(
  db: DB,
  queue: RetryQueue,
  ids: number[],
  nowMs: number,
  keepPayload: boolean,
): Promise<void> {
  for (const batch of chunks(ids))
    await db
      .updateTable(typed(queue))
      .set({
        status: 'sent',
        sent_at: new Date(nowMs).toISOString(),
        claimed_at: null,
        last_error: null,
        failing_since: null,
        ...(keepPayload ? {} : { payload: '' }),
      })
      .where('id', 'in', batch)
      .execute();
}

/** A failed attempt: `retryAt` for another try, or null for the dead-letter list. */
export async function markRowFailed(
  db: DB,
  queue: RetryQueue,
  row: ClaimedRow,
  failure: { error: string; retryAt: number | null; nowMs: number },
): Promise<void> {
  await db
    .updateTable(typed(queue))
    .set({
      status: failure.retryAt === null ? 'dead' : 'pending',
      attempts: row.attempts + 1,
      next_attempt_at: failure.retryAt ?? failure.nowMs,
      claimed_at: null,
      last_error: failure.error,
      failing_since: row.failing_since ?? failure.nowMs,
    })
    .where('id', '=', row.id)
    .execute();
}

/** When the next pending row is due (wall-clock ms), or null. */
export async function nextRowDue(db: DB, queue: RetryQueue): Promise<number | null> {
  const next = await db
    .selectFrom(typed(queue))
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return next?.at == null ? null : Number(next.at);
}

/** Deletes rows delivered before `beforeIso`, a chunk at a time (deleteInChunks). Returns how many. */
export async function pruneSentRows(db: DB, queue: RetryQueue, beforeIso: string): Promise<number> {
  const table = typed(queue);
  return deleteInChunks(async (limit) => {
    const doomed = db
      .selectFrom(table)
      .select('id')
      .where('status', '=', 'sent')
      .where('sent_at', '<', beforeIso)
      .orderBy('sent_at')
      .limit(limit);
    return (await db.deleteFrom(table).where('id', 'in', doomed).executeTakeFirst()).numDeletedRows;
  });
}

/** The head of a queue's console view: its rows counted by status, and when the oldest undelivered one was written. */
export async function queueSummary<S extends string>(db: DB, queue: RetryQueue, statuses: readonly S[]) {
  const table = typed(queue);
  const [byStatus, oldest] = await Promise.all([
    db
      .selectFrom(table)
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute(),
    db
      .selectFrom(table)
      .select((eb) => eb.fn.min('created_at').as('at'))
      .where('status', '=', 'pending')
      .executeTakeFirst(),
  ]);
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
  for (const { status, n } of byStatus) counts[status as S] = Number(n);
  return { counts, oldestPendingAt: oldest?.at ?? null };
}

/**
 * Puts dead-lettered rows back in the queue, due now, with a fresh day of retries: all of them, or `ids`. With
 * ids, all or none: an id that is no row is `missing`, one that is not dead (pending, sent, held) is `notDead`,
 * and then nothing is replayed. The last error stays visible until the next attempt.
 */
export async function replayDeadRows(
  db: DB,
  queue: RetryQueue,
  nowMs: number,
  ids?: readonly number[],
): Promise<{ replayed: number } | { missing: number[] } | { notDead: number[] }> {
  const table = typed(queue);
  if (ids && !ids.length) return { replayed: 0 };
  return db.transaction().execute(async (trx) => {
    if (ids) {
      const found = new Map<number, string>();
      for (const batch of chunks([...new Set(ids)]))
        for (const r of await trx.selectFrom(table).select(['id', 'status']).where('id', 'in', batch).execute())
          found.set(r.id, r.status);
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) return { missing };
      const notDead = ids.filter((id) => found.get(id) !== 'dead');
      if (notDead.length) return { notDead };
    }
    let replayed = 0;
    const replay = (batch?: number[]) => {
      let query = trx
        .updateTable(table)
        .set({ status: 'pending', attempts: 0, failing_since: null, next_attempt_at: nowMs, claimed_at: null })
        .where('status', '=', 'dead');
      if (batch) query = query.where('id', 'in', batch);
      return query.executeTakeFirst();
    };
    if (!ids) return { replayed: Number((await replay()).numUpdatedRows) };
    for (const batch of chunks([...new Set(ids)])) replayed += Number((await replay(batch)).numUpdatedRows);
    return { replayed };
  });
}

type QueueRow = Selectable<CdpForwardQueueTable>;
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function callOf(payload: string): { type: string | null; event: string | null } {
  try {
    const call = JSON.parse(payload) as { type?: unknown; event?: unknown };
    const event = typeof call.event === 'string' ? call.event : null;
    // The shop's first outbox rows (Order Completed) were stored without a type: a track is what they are.
    const type = typeof call.type === 'string' ? call.type : event ? 'track' : null;
    return { type, event };
  } catch {
    return { type: null, event: null };
  }
}

/**
 * A row as the console and the ops API show it (`queueRow` in lib/cdp/ops/contract.ts), at wall-clock `nowMs`, for
 * both queues. A row claimed for an attempt holds the claim's expiry in next_attempt_at, which is not when it will
 * next be tried: it is shown in flight (since, until) with no next attempt. Past the expiry (the instance that
 * claimed it died) it is due again: a next attempt, no flight.
 */
export function queueRowView<S extends QueueRow['status']>(r: Omit<QueueRow, 'status'> & { status: S }, nowMs: number) {
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
}
