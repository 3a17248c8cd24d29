import 'server-only';
import type { DB } from '@/lib/db';
import { DAY, MINUTE } from '@/lib/common/duration';
import { env } from '@/lib/env';
import { nextForwardDue, pruneSentForwards } from '@/lib/cdp/store/forward-queue';
import { backoffMs } from '@/lib/common/backoff';
import { processState } from '@/lib/common/process-state';
import { asBackgroundWork, isShutdownError, isStopping } from '@/lib/common/background-work';
import { forwardTarget } from './upstream';
import { endRefusal, pausedUntil, pauseForRefusal, pauseForRetryAfter } from './pause';
import { deliverDue, type DeliveryResult } from './pass';

// One pass over the queue is pass.ts; this module runs passes for the app: one at a time per process, again soon
// after a failure, and not while forwarding is paused (pause.ts).
export { deliverDue, type DeliveryOptions, type DeliveryResult } from './pass';
export { forwardTarget, type ForwardTarget } from './upstream';

// On globalThis: the scheduler (instrumentation bundle) and the ingest route (app bundle) get separate module
// instances, and two overlapping runs could send the same row twice.
const lock = processState<{
  __cdpForwarding: Promise<DeliveryResult>;
  __cdpForwardAgain: boolean;
  __cdpForwardRetry: NodeJS.Timeout;
  __cdpForwardFailures: number;
}>({
  __cdpForwarding: null,
  __cdpForwardAgain: null,
  __cdpForwardRetry: clearTimeout,
  __cdpForwardFailures: null,
});

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
        // The retry timer (scheduleRetry) or the minute tick passes again once the pause is over (pause.ts): a
        // `Retry-After` is about the sender, not one call, and a refused key or address refuses every call alike.
        if (Date.now() < pausedUntil()) break;
        const r = await deliverDue(db, target, Date.now(), {
          onRetryAfter: pauseForRetryAfter,
          onDestination: (refused) =>
            refused ? pauseForRefusal(Date.now(), refused.status, refused.error) : endRefusal(Date.now()),
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
