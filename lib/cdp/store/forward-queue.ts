import 'server-only';
import type { DB } from '@/lib/db';
import { ClaimLedger } from '@/lib/db/claim-ledger';
import { deleteInChunks } from '@/lib/db/delete-in-chunks';
import { addMs } from '@/lib/common/duration';
import { REJECTION_RETENTION_MS } from '@/lib/cdp/model/windows';
import {
  claimDueRows,
  markRowFailed,
  markRowsSent,
  nextRowDue,
  pruneSentRows,
  releaseRows,
  replayDeadRows,
  type ClaimedRow,
} from '@/lib/db/retry-queue';
import type { IngestMessage } from '@/lib/cdp/model/message';
import { personActionOf } from '@/lib/cdp/model/semantic-events';
import { correctedTimestamp } from './events';
import { chunks } from './profile-loader';

/** What the ingest edge knows about a call besides its content. */
export type ForwardContext = {
  /** Pipeline time of receipt (created_at). */
  at: Date;
  /** Wall time of receipt when the pipeline clock is manual: Customer.io lives on wall time. */
  wallAt?: Date;
  /** The browser's address for `context.ip`; null for server calls or with CDP_FORWARD_IP=off. */
  clientIp?: string | null;
};

/**
 * The call as Customer.io gets it. Its time travels as an absolute, skew-corrected `timestamp`, and the client's
 * `sentAt` is dropped: Customer.io would otherwise correct the skew again with a `sentAt` that, after a delayed
 * delivery, is minutes or hours older than the request, and date the event later by that much. Without `sentAt`
 * Customer.io takes `timestamp` as it is, which is how the node SDK (a server on wall time) sends every call.
 * A call that carries its own `context.ip` (even null) keeps it; the local write key never travels.
 */
export function forwardPayload(message: IngestMessage, ctx: ForwardContext): Record<string, unknown> {
  const wall = ctx.wallAt ?? ctx.at;
  const payload: Record<string, unknown> = { ...message, timestamp: correctedTimestamp(message, wall, wall) };
  delete payload.writeKey;
  delete payload.sentAt;
  const context = (message.context ?? {}) as Record<string, unknown>;
  if (ctx.clientIp && !('ip' in context)) payload.context = { ...context, ip: ctx.clientIp };
  return payload;
}

/**
 * The call as it is queued and sent (forwardPayload, as JSON). It may be larger than the call as received (a
 * `timestamp`, `messageId`, `type` or `context.ip` the pipeline fills in): the ingest measures this against
 * Customer.io's 32 KB per call, since a call over it could only ever be dead-lettered.
 */
export const forwardJson = (message: IngestMessage, ctx: ForwardContext) =>
  JSON.stringify(forwardPayload(message, ctx));

/** Whose call this is, for ordering: the userId, else the anonymousId. */
const personKey = (message: IngestMessage) => message.userId ?? message.anonymousId ?? null;

/**
 * Queues an accepted call for Customer.io in the same transaction that stores it, so a crash between
 * "stored" and "forwarded" loses nothing. One row per messageId: a repeat is not forwarded twice.
 * Returns false for a repeat.
 */
export async function enqueueForward(
  db: DB,
  message: IngestMessage,
  ctx: ForwardContext,
  payload = forwardJson(message, ctx),
): Promise<boolean> {
  return queue(db, message, ctx, payload, 'pending', null);
}

/**
 * An identity call that failed verification is never forwarded: it is recorded here as `held`, with the reason,
 * so proxy mode (nothing stored locally) still shows what was kept from Customer.io and why. Its content is never
 * sent (a verified copy brings its own), so with local storage off (`keepContent` false) only the call's type and
 * event name are kept: no traits, no email, for a row that is never delivered, blanked or pruned.
 */
export async function recordHeldForward(
  db: DB,
  message: IngestMessage,
  ctx: ForwardContext,
  reason: string,
  keepContent: boolean,
  payload = forwardJson(message, ctx),
): Promise<void> {
  const kept = keepContent
    ? payload
    : JSON.stringify({ type: message.type, ...(message.type === 'track' ? { event: message.event } : {}) });
  await queue(db, message, ctx, payload, 'held', reason, kept);
}

/**
 * A browser call held for a userId nothing vouched for (`unverified_user_id`) goes out once its anonymous id is
 * linked to that very person (identity/link.ts): the SDK's call that overtook its signed identify reaches
 * Customer.io as the browser sent it. Due now; a person's calls still go out in order of arrival.
 */
export async function releaseVouchedForwards(db: DB, messageIds: readonly string[]): Promise<void> {
  for (const batch of chunks([...messageIds]))
    await db
      .updateTable('cdp_forward_queue')
      .set({ status: 'pending', last_error: null, next_attempt_at: 0 })
      .where('message_id', 'in', batch)
      .where('status', '=', 'held')
      .where('last_error', '=', UNVERIFIED_USER_ID)
      .execute();
}

/** Held forwards of kept calls the retention purge deleted (identity/purge.ts): nothing can release them now. */
export async function dropHeldForwards(db: DB, messageIds: readonly string[]): Promise<void> {
  for (const batch of chunks([...messageIds]))
    await db
      .deleteFrom('cdp_forward_queue')
      .where('message_id', 'in', batch)
      .where('status', '=', 'held')
      .where('last_error', '=', UNVERIFIED_USER_ID)
      .execute();
}

/** The hold reason of a browser call whose userId nothing vouched for. */
export const UNVERIFIED_USER_ID = 'unverified_user_id';

/**
 * Deletes identity calls held for failing verification (never sent: a verified copy brings its own) once they are
 * older than the data-quality log's refused calls (REJECTION_RETENTION_MS): a flood of unsigned identify calls grew
 * the table for good. Calls held for an unvouched userId go with their event (identity/purge.ts). Returns how many.
 */
export async function purgeHeldForwards(db: DB, at: Date): Promise<number> {
  const cutoff = addMs(at, -REJECTION_RETENTION_MS).toISOString();
  return deleteInChunks(async (limit) => {
    const doomed = db
      .selectFrom('cdp_forward_queue')
      .select('id')
      .where('status', '=', 'held')
      .where('created_at', '<', cutoff)
      .where('last_error', '!=', UNVERIFIED_USER_ID)
      .orderBy('created_at')
      .limit(limit);
    return (await db.deleteFrom('cdp_forward_queue').where('id', 'in', doomed).executeTakeFirst()).numDeletedRows;
  });
}

async function queue(
  db: DB,
  message: IngestMessage,
  ctx: ForwardContext,
  payload: string,
  status: 'pending' | 'held',
  reason: string | null,
  heldPayload?: string,
): Promise<boolean> {
  const result = await db
    .insertInto('cdp_forward_queue')
    .values({
      message_id: message.messageId,
      payload: heldPayload ?? payload,
      status,
      attempts: 0,
      next_attempt_at: 0,
      last_error: reason,
      created_at: ctx.at.toISOString(),
      sent_at: null,
      person_key: personKey(message),
      failing_since: null,
    })
    // DO NOTHING, not DO UPDATE … WHERE status = 'held': PostgreSQL's DO UPDATE locks the row it finds even when the
    // WHERE then leaves it alone, so a repeat of a call being delivered held its row until the ingest committed,
    // and the forwarder marking that row and others sent deadlocked with it (the pass failed, its claimed rows
    // waited out the claim).
    .onConflict((oc) => oc.column('message_id').doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return true;
  if (status === 'held') return false;
  // A verified copy of a messageId that was held (e.g. the server's after the browser's unsigned one) goes out.
  const released = await db
    .updateTable('cdp_forward_queue')
    .set({ status, payload, last_error: null, person_key: personKey(message) })
    .where('message_id', '=', message.messageId)
    .where('status', '=', 'held')
    .executeTakeFirst();
  return Number(released.numUpdatedRows) > 0;
}

// Claims, releases, sent and failed marks are the retry queue's (lib/db/retry-queue.ts), bound to this table.
export { WAITING_RECHECK_MS, type ClaimedRow } from '@/lib/db/retry-queue';
const QUEUE = 'cdp_forward_queue';
export const claimDueForwards = (
  db: DB,
  nowMs: number,
  claimMs: number,
  limit?: number,
  onClaimed?: (ids: number[]) => void,
) => claimDueRows(db, QUEUE, nowMs, claimMs, limit, undefined, onClaimed);
export const releaseForwards = (db: DB, ids: number[], atMs: number) => releaseRows(db, QUEUE, ids, atMs);
export const markForwardsSent = (db: DB, ids: number[], nowMs: number, keepPayload: boolean) =>
  markRowsSent(db, QUEUE, ids, nowMs, keepPayload);
export const markForwardFailed = (db: DB, row: ClaimedRow, failure: Parameters<typeof markRowFailed>[3]) =>
  markRowFailed(db, QUEUE, row, failure);
export const nextForwardDue = (db: DB) => nextRowDue(db, QUEUE);
/** What a forwarding pass claimed and still has to settle (lib/db/claim-ledger.ts). */
export const forwardClaimLedger = (claimedAt: number, keepPayload: boolean) =>
  new ClaimLedger(QUEUE, claimedAt, keepPayload);

/** Dead-lettered rows (all, or the given ids) queued again with a fresh day of retries (replayDeadRows). */
export const replayDeadForwards = (db: DB, nowMs: number, ids?: readonly number[]) =>
  replayDeadRows(db, QUEUE, nowMs, ids);

/**
 * Deletes rows delivered before `beforeIso` (CDP_FORWARD_KEEP_DAYS), found through cdp_forward_queue_sent, a chunk
 * at a time (pruneSentRows). Returns how many.
 */
export const pruneSentForwards = (db: DB, beforeIso: string) => pruneSentRows(db, QUEUE, beforeIso);

/**
 * A person was deleted (`User Deleted`/`User Suppressed`): their rows queued before the call that deleted them go,
 * whatever their state. Sent ones are a local copy of their data; unsent ones (pending, in retry, held, dead) are
 * dropped rather than forwarded, because Customer.io would take them after the deletion and create the person
 * again. Earlier unsent person actions stay: a `User Suppressed` must still reach Customer.io. The deleting call's
 * own row (`before`, its id) and later ones stay. `keys` are the person's ids (userId, merged ids, anonymous ids);
 * the anonymous ids their queued calls carry are the person's devices too (all there is with local storage off).
 * Returns how many rows were deleted.
 */
export async function forgetQueuedForwards(db: DB, keys: readonly string[], before: number | null): Promise<number> {
  const rowsOf = async (ids: readonly string[]) => {
    const rows: { id: number; payload: string; status: string }[] = [];
    for (const batch of chunks([...ids])) {
      let query = db
        .selectFrom('cdp_forward_queue')
        .select(['id', 'payload', 'status'])
        .where('person_key', 'in', batch);
      if (before !== null) query = query.where('id', '<', before);
      rows.push(...(await query.execute()));
    }
    return rows;
  };
  const rows = await rowsOf(keys);
  const devices = new Set<string>();
  for (const row of rows) {
    const anonymousId = parsePayload(row.payload)?.anonymousId;
    if (typeof anonymousId === 'string' && !keys.includes(anonymousId)) devices.add(anonymousId);
  }
  if (devices.size) rows.push(...(await rowsOf([...devices])));
  const doomed = rows
    .filter((row) => {
      if (row.status === 'sent') return true;
      const call = parsePayload(row.payload);
      // A payload is a call as ingest accepted it.
      return !(call && personActionOf(call as Pick<IngestMessage, 'type' | 'event'>));
    })
    .map((row) => row.id);
  let deleted = 0;
  for (const batch of chunks(doomed))
    deleted += Number(
      (await db.deleteFrom('cdp_forward_queue').where('id', 'in', batch).executeTakeFirst()).numDeletedRows,
    );
  return deleted;
}

/** The id of a call's row in the queue, if it was queued. */
export async function forwardRowId(db: DB, messageId: string): Promise<number | null> {
  const row = await db
    .selectFrom('cdp_forward_queue')
    .select('id')
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row?.id ?? null;
}

function parsePayload(payload: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null; // '' once sent with local storage off
  }
}
