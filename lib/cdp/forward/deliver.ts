import 'server-only';
import type { DB } from '@/lib/db';
import { DAY, MINUTE } from '@/lib/common/duration';
import { env } from '@/lib/env';
import {
  claimDueForwards,
  forwardClaimLedger,
  markForwardFailed,
  markForwardsSent,
  nextForwardDue,
  pruneSentForwards,
  releaseForwards,
  WAITING_RECHECK_MS,
  type ClaimedRow,
} from '@/lib/cdp/store/forward-queue';
import { backoffMs, nextAttemptAt } from '@/lib/common/backoff';
import { byteLength, MAX_CALL_BYTES, toBatches } from './batches';
import { forwardTarget, postBatch, type ForwardTarget, type PostOutcome } from './upstream';
import { processState } from '@/lib/common/process-state';
import {
  abandonedSignal,
  asBackgroundWork,
  isShutdownError,
  isStopping,
  throwIfStopping,
} from '@/lib/common/background-work';
import type { ClaimLedger } from '@/lib/db/claim-ledger';

export { forwardTarget, type ForwardTarget } from './upstream';

/**
 * A claimed row is hidden from other claims this long: ample for ten batches at the 10 s request timeout. Only a
 * process that dies mid-pass makes anyone wait it out: after a database error the pass hands its rows back.
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
};

/**
 * Sends every due row in batches, the way the node SDK talks to Customer.io, keeping each call's messageId so
 * Customer.io dedupes too. Network failures, timeouts, 408, 429 and 5xx are retried with capped, jittered
 * exponential backoff (or after Retry-After) for a day, then dead-lettered; other 4xx are dead-lettered at once
 * with the upstream's answer, after a batch with a 400 was split to find the bad call, as a batch answered 500 again
 * and again is (bisect). The first retryable failure ends the pass, unless halving showed the upstream up: it is
 * down or asked for a pause, and the rows not tried yet wait with the failed ones.
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
  { keepPayload, random = Math.random, onRetryAfter }: DeliveryOptions & { keepPayload: boolean },
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

  /** Sends `rows` as one batch, or in halves when the answer says one call may be at fault; resolves to how many went. */
  async function send(rows: ClaimedRow[], splitting = false): Promise<number> {
    const waiting = rows.filter(isStalled);
    if (waiting.length) {
      await releaseForwards(db, ids(waiting), nowMs + WAITING_RECHECK_MS);
      ledger.settled(ids(waiting));
      result.waiting += waiting.length;
      rows = rows.filter((r) => !isStalled(r));
    }
    if (!rows.length) return 0;
    // A stopping server sends no further batch, and gives up on the answer to this one when its time is nearly up:
    // either way the ledger hands the rows back (lib/common/background-work.ts).
    throwIfStopping();
    const outcome = await postBatch(
      target,
      rows.map((r) => r.payload),
      nowMs,
      abandonedSignal(),
    );
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
  return result;
}

// On globalThis: the scheduler (instrumentation bundle) and the ingest route (app bundle) get separate module
// instances, and two overlapping runs could send the same row twice.
const lock = processState<{
  __cdpForwarding: Promise<DeliveryResult>;
  __cdpForwardAgain: boolean;
  __cdpForwardRetry: NodeJS.Timeout;
  __cdpForwardFailures: number;
  __cdpForwardResumeAt: number;
}>({
  __cdpForwarding: null,
  __cdpForwardAgain: null,
  __cdpForwardRetry: clearTimeout,
  __cdpForwardFailures: null,
  __cdpForwardResumeAt: null,
});

/**
 * Until when Customer.io asked for no request (its last `Retry-After`): a 429 is about the sender, not one call,
 * and the calls queued after it (another visitor's) would each be sent at once, by the pass the next ingest
 * request starts. An answer without Retry-After (a 5xx may be about the calls it was given) pauses only its rows.
 */
const pausedUntil = () => lock.__cdpForwardResumeAt ?? 0;

/**
 * Delivers due rows of the app's queue. Calls during a run join it and trigger one more pass, so rows queued
 * meanwhile go out promptly and no row is sent by two runs at once. Null when proxy mode is off.
 */
export function flushForwardQueue(db: DB): Promise<DeliveryResult> | null {
  const target = forwardTarget();
  if (!target) return null;
  if (lock.__cdpForwarding) {
    lock.__cdpForwardAgain = true;
    return lock.__cdpForwarding;
  }
  // Background work: a stopping server starts none and waits for this one (lib/common/background-work.ts).
  lock.__cdpForwarding = asBackgroundWork(async () => {
    const total: DeliveryResult = { sent: 0, retrying: 0, dead: 0, waiting: 0 };
    try {
      do {
        lock.__cdpForwardAgain = false;
        // The retry timer (scheduleRetry) or the minute tick passes again once the pause is over.
        if (Date.now() < pausedUntil()) break;
        const r = await deliverDue(db, target, Date.now(), {
          onRetryAfter: (atMs) => (lock.__cdpForwardResumeAt = atMs),
        });
        for (const key of Object.keys(total) as Array<keyof DeliveryResult>) total[key] += r[key];
      } while (lock.__cdpForwardAgain && !isStopping());
      lock.__cdpForwardFailures = 0;
      await scheduleRetry(db);
    } catch (error) {
      if (!isShutdownError(error)) retryAfterError(db);
      throw error;
    }
    return total;
  }).finally(() => {
    lock.__cdpForwarding = undefined;
  });
  return lock.__cdpForwarding;
}

/**
 * The minute job: a pass over the queue, then sent rows older than CDP_FORWARD_KEEP_DAYS are deleted
 * (their messageIds no longer dedupe repeats after that).
 */
export async function forwardJob(db: DB, nowMs = Date.now()) {
  const delivered = await flushForwardQueue(db);
  if (!delivered) return { skipped: 'CIO_WRITE_KEY is not set' };
  const cutoff = new Date(nowMs - env().CDP_FORWARD_KEEP_DAYS * DAY).toISOString();
  return { ...delivered, pruned: await pruneSentForwards(db, cutoff) };
}

/** Short backoffs would otherwise wait for the once-a-minute scheduler tick: wake up when the next row is due. */
async function scheduleRetry(db: DB) {
  if (isStopping()) return;
  const due = await nextForwardDue(db);
  if (due === null) return;
  const next = Math.max(due, pausedUntil());
  const wait = next - Date.now();
  if (wait >= MINUTE) return;
  clearTimeout(lock.__cdpForwardRetry);
  // Timers may fire a millisecond early; arriving a little late guarantees the row is due.
  lock.__cdpForwardRetry = setTimeout(() => kickForwarder(db), Math.max(0, wait) + 25);
  lock.__cdpForwardRetry.unref();
}

/**
 * A pass the database failed (busy, connection lost) is tried again within seconds, not at the next minute tick:
 * backoff from 1 s, capped at a minute (the tick), so a database that stays down is not hammered.
 */
function retryAfterError(db: DB) {
  lock.__cdpForwardFailures = (lock.__cdpForwardFailures ?? 0) + 1;
  clearTimeout(lock.__cdpForwardRetry);
  lock.__cdpForwardRetry = setTimeout(() => kickForwarder(db), Math.min(backoffMs(lock.__cdpForwardFailures), MINUTE));
  lock.__cdpForwardRetry.unref();
}

/** Runs a kick already reports the failure of (per bundle: the route's and the scheduler's may each report once). */
const watchedRuns = new WeakSet<Promise<DeliveryResult>>();

/**
 * Fire-and-forget flush for callers that must not wait for Customer.io (ingest requests, retry timers). A failed
 * run is logged once: every ingest request during a run joins it, and each logged it again (a pass that met the
 * statement timeout under a flood of calls: 6,457 copies of one stack trace).
 */
export function kickForwarder(db: DB): void {
  const run = flushForwardQueue(db);
  if (!run || watchedRuns.has(run)) return;
  watchedRuns.add(run);
  run.catch((error) => {
    // A stopping server handed the rows back: the next start, or another instance, sends them.
    if (!isShutdownError(error)) console.error('[cdp] forwarding failed', error);
  });
}
