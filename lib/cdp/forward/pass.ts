import 'server-only';
import type { DB } from '@/lib/db';
import { MINUTE } from '@/lib/common/duration';
import { env } from '@/lib/env';
import {
  claimDueForwards,
  forwardClaimLedger,
  markForwardFailed,
  markForwardsSent,
  releaseForwards,
  WAITING_RECHECK_MS,
  type ClaimedRow,
} from '@/lib/cdp/store/forward-queue';
import { backoffMs, nextAttemptAt } from '@/lib/common/backoff';
import { abandonedSignal, throwIfStopping } from '@/lib/common/background-work';
import { requestWindow, type ClaimLedger } from '@/lib/db/claim-ledger';
import { byteLength, MAX_CALL_BYTES, toBatches } from './batches';
import { postBatch, requestTimeoutMs, type ForwardTarget, type PostOutcome } from './upstream';

/**
 * A claimed row is hidden from other claims this long: ample for ten batches at the 10 s request timeout. Only a
 * process that dies mid-pass makes anyone wait it out: after a database error the pass hands its rows back. A pass
 * that runs longer (400s split call by call, slow answers) stops sending before it ends (deliverClaim).
 */
const CLAIM_MS = 5 * MINUTE;

/**
 * What one pass did: `retrying` rows failed and wait for their next attempt, `dead` rows went to the dead-letter
 * list, `waiting` rows were not tried (the upstream was failing, or an earlier call of the same person was).
 */
export type DeliveryResult = { sent: number; retrying: number; dead: number; waiting: number };

export type DeliveryOptions = {
  /** Keep the content of sent rows (CDP_LOCAL=on); with local storage off it is blanked on delivery. */
  keepPayload?: boolean;
  /** Jitter source (tests pin it). */
  random?: () => number;
  /** Told when the upstream asked, with a `Retry-After`, for no request before `atMs` (flushForwardQueue). */
  onRetryAfter?: (atMs: number) => void;
  /**
   * Told after each request whether Customer.io refused it as a whole (the key, the address: upstream.ts), then the
   * pass has ended with its rows handed back, or not (null).
   */
  onDestination?: (refused: { status: number; error: string } | null) => void;
  /** Wall-clock ms while the pass runs (tests drive it); by default `nowMs` plus the time since it began. */
  clock?: () => number;
};

/**
 * Sends every due row in batches, the way the node SDK talks to Customer.io, keeping each call's messageId so
 * Customer.io dedupes too. Network failures, timeouts, 408, 429 and 5xx are retried with capped, jittered
 * exponential backoff (or after Retry-After) for a day, then dead-lettered; other 4xx are dead-lettered at once
 * with the upstream's answer, after a batch with a 400 was split to find the bad call, as a batch answered 500 again
 * and again is (bisect). The first retryable failure ends the pass, unless halving showed the upstream up: it is
 * down or asked for a pause, and the rows not tried yet wait with the failed ones. A request refused as a whole (a
 * wrong key or address) ends the pass too, but fails no row: they are handed back as claimed (`onDestination`).
 * Times are wall-clock ms (`nowMs`), not the pipeline clock: the upstream is real.
 */
export async function deliverDue(
  db: DB,
  target: ForwardTarget,
  nowMs = Date.now(),
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const keepPayload = options.keepPayload ?? env().CDP_LOCAL === 'on';
  // A database error mid-pass hands back what the pass claimed and did not settle, and marks sent what Customer.io
  // took, instead of leaving them claimed for CLAIM_MS and sending those again then (lib/db/claim-ledger.ts).
  const ledger = forwardClaimLedger(nowMs, keepPayload);
  return ledger.run(db, () => deliverClaim(db, target, nowMs, { ...options, keepPayload }, ledger));
}

const ids = (rows: readonly ClaimedRow[]) => rows.map((r) => r.id);
const firstHalf = <T>(rows: readonly T[]) => rows.slice(0, Math.ceil(rows.length / 2));
const secondHalf = <T>(rows: readonly T[]) => rows.slice(Math.ceil(rows.length / 2));

/**
 * A batch answered 500 on its third attempt is sent in halves (`split` in upstream.ts): Customer.io answers for the
 * whole request, so one call it fails on held the other 99 of its batch in backoff for a day, then dead-lettered
 * them with it. Not sooner, so a brief outage costs one request per pass, not one per half.
 */
const SPLIT_RETRIES_AFTER_ATTEMPTS = 2;

/** deliverDue's pass: each row it claims is settled through `ledger` (sent, failed, handed back). */
async function deliverClaim(
  db: DB,
  target: ForwardTarget,
  nowMs: number,
  { keepPayload, random = Math.random, onRetryAfter, onDestination, clock }: DeliveryOptions & { keepPayload: boolean },
  ledger: ClaimLedger,
): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retrying: 0, dead: 0, waiting: 0 };
  const claimed = await claimDueForwards(db, nowMs, CLAIM_MS, undefined, (claimedIds) => ledger.claimed(claimedIds));
  const { batches, oversized } = toBatches(claimed);
  for (const row of oversized) {
    const error = `The call is ${byteLength(row.payload)} bytes; Customer.io accepts at most ${MAX_CALL_BYTES} per call`;
    await markForwardFailed(db, row, { error, retryAt: null, nowMs });
    ledger.settled([row.id]);
    result.dead++;
  }

  // People with a call in backoff since this pass began: their later calls wait.
  const stalled = new Set<string>();
  // One jitter draw per pass: rows that failed in it with the same history (a batch, its halves) come back together.
  const draw = random();
  // When to resume after a retryable failure ended the pass (an object: it is set inside send()).
  const pause: { until: number | null } = { until: null };
  const isStalled = (row: ClaimedRow) => row.person_key !== null && stalled.has(row.person_key);
  // Set when the pass sends nothing more: Customer.io refused a request as a whole (no call is at fault), or the
  // claim is running out (past it another instance may claim these rows and send them too). What the pass has not
  // settled is then handed back, due at once, with no attempt counted.
  let halted: 'refused' | 'claim' | null = null;
  // A request starts only if its answer and the marks after it fit in the claim.
  const { mayStart } = requestWindow(nowMs, CLAIM_MS, requestTimeoutMs(target), clock);

  /** Sends `rows` as one batch, or in halves when the answer says one call may be at fault; resolves to how many went. */
  async function send(rows: ClaimedRow[], splitting = false): Promise<number> {
    if (halted) return 0;
    const waiting = rows.filter(isStalled);
    if (waiting.length) {
      await releaseForwards(db, ids(waiting), nowMs + WAITING_RECHECK_MS);
      ledger.settled(ids(waiting));
      result.waiting += waiting.length;
      rows = rows.filter((r) => !isStalled(r));
    }
    if (!rows.length) return 0;
    if (!mayStart()) {
      halted = 'claim';
      return 0;
    }
    // A stopping server sends no further batch, and gives up on the answer to this one when its time is nearly up:
    // either way the ledger hands the rows back (lib/common/background-work.ts).
    throwIfStopping();
    const outcome = await postBatch(
      target,
      rows.map((r) => r.payload),
      nowMs,
      abandonedSignal(),
    );
    if (!outcome.ok && 'refused' in outcome) {
      halted = 'refused';
      onDestination?.({ status: outcome.refused, error: outcome.error });
      return 0;
    }
    onDestination?.(null);
    if (outcome.ok) {
      ledger.delivered(ids(rows));
      await markForwardsSent(db, ids(rows), nowMs, keepPayload);
      ledger.settled(ids(rows));
      result.sent += rows.length;
      return rows.length;
    }
    if (outcome.split && rows.length > 1) {
      if (!outcome.retry) return (await send(firstHalf(rows))) + (await send(secondHalf(rows)));
      if (splitting || rows.some((r) => r.attempts >= SPLIT_RETRIES_AFTER_ATTEMPTS)) return bisect(rows, outcome);
    }
    await fail(rows, outcome);
    return 0;
  }

  /**
   * A batch failing with a retryable answer that one call may cause: the first half, then the second. Calls that go
   * through show the upstream is up, so the pass goes on past the ones it failed on (their people's later calls
   * wait, in order). A first half that fails however it is split says the upstream is failing: the second half is
   * failed with the batch's answer, unsent, and the pass ends as after any retryable failure.
   */
  async function bisect(rows: ClaimedRow[], outcome: Extract<PostOutcome, { retry: true }>): Promise<number> {
    const pausedBefore = pause.until;
    const first = firstHalf(rows);
    const sentFirst = await send(first, true);
    if (halted) return sentFirst;
    if (sentFirst === 0 && first.length > 1) {
      await fail(secondHalf(rows), outcome);
      return 0;
    }
    const sent = sentFirst + (await send(secondHalf(rows), true));
    if (sent > 0) pause.until = pausedBefore;
    return sent;
  }

  /** Records a failed attempt of each row: retried later (its people's later calls wait), or dead-lettered. */
  async function fail(rows: ClaimedRow[], outcome: Extract<PostOutcome, { ok: false }>): Promise<void> {
    for (const row of rows) {
      const retryAt = outcome.retry ? nextAttemptAt(row, nowMs, outcome.retryAfter, () => draw) : null;
      await markForwardFailed(db, row, { error: outcome.error, retryAt, nowMs });
      ledger.settled([row.id]);
      if (retryAt === null) {
        result.dead++;
        continue;
      }
      result.retrying++;
      if (row.person_key !== null) stalled.add(row.person_key);
      pause.until = Math.min(pause.until ?? retryAt, retryAt);
    }
    if (outcome.retry) pause.until ??= nowMs + backoffMs(1, () => draw);
    if (outcome.retry && outcome.retryAfter !== null) onRetryAfter?.(nowMs + outcome.retryAfter);
  }

  for (const [i, batch] of batches.entries()) {
    if (halted) break;
    if (pause.until !== null) {
      // The upstream is failing: the rest waits until the failed rows' next attempt, without counting one.
      const rest = batches.slice(i).flat();
      await releaseForwards(db, ids(rest), pause.until);
      ledger.settled(ids(rest));
      result.waiting += rest.length;
      break;
    }
    await send(batch);
  }
  if (halted) {
    result.waiting += ledger.unsettled;
    await ledger.settle(db);
  }
  return result;
}
