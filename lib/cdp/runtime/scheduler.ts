import 'server-only';
import { getDb, type DB } from '@/lib/db';
import { claimInterval } from '@/lib/db/leases';
import { env } from '@/lib/env';
import { MINUTE, SECOND } from '@/lib/common/duration';
import { now } from '@/lib/cdp/store/clock';
import { processState } from '@/lib/common/process-state';
import { asBackgroundWork, isShutdownError, isStopping } from '@/lib/common/background-work';

export type JobContext = { db: DB; now: Date };
/**
 * `pipeline` jobs follow the pipeline clock: every minute on the system clock, and on each move of a manual
 * clock (POST /api/ops/clock). `wall` jobs talk to the outside world and run every minute regardless.
 */
export type JobClock = 'pipeline' | 'wall';
type Job = { name: string; clock: JobClock; task: (ctx: JobContext) => Promise<unknown> };

const TICK_MS = MINUTE;
/**
 * Instances' timers are not in step: a job started by any instance less than this long ago is skipped, so it
 * runs about once a minute however many instances (or cron calls) tick.
 */
export const TICK_GATE_MS = TICK_MS - 10 * SECOND;

// On globalThis: instrumentation.ts and route handlers are separate bundles with separate module instances.
const state = processState<{ __cdpJobs: Map<string, Job>; __cdpTimer: NodeJS.Timeout }>({
  __cdpJobs: null,
  __cdpTimer: clearInterval,
});
const jobs = (state.__cdpJobs ??= new Map());

/** Registers (or replaces) a job by name; registering twice is harmless. */
export function registerJob(name: string, task: Job['task'], { clock = 'pipeline' }: { clock?: JobClock } = {}): void {
  jobs.set(name, { name, clock, task });
}

/**
 * One tick of a clock: its jobs in registration order; one failing job is logged and does not stop the others.
 * With `onceEveryMs` (minute ticks) a job another instance started within that time is skipped; without it
 * (a manual clock move) every job runs now.
 */
export async function tickJobs(
  db: DB,
  clock: JobClock,
  { onceEveryMs }: { onceEveryMs?: number } = {},
): Promise<Record<string, unknown>> {
  const ctx = { db, now: await now(db) };
  const results: Record<string, unknown> = {};
  for (const job of jobs.values()) {
    if (job.clock !== clock) continue;
    if (isStopping()) {
      results[job.name] = { skipped: 'the server is stopping' };
      continue;
    }
    try {
      if (onceEveryMs !== undefined && !(await claimInterval(db, `tick:${job.name}`, onceEveryMs))) {
        results[job.name] = { skipped: 'already run in this tick (by another instance or cron call)' };
        continue;
      }
      results[job.name] = await job.task(ctx);
    } catch (error) {
      // Stopped at a safe point by a stopping server: what it claimed is handed back, nothing failed.
      if (!isShutdownError(error)) console.error(`[cdp] job ${job.name} failed`, error);
      results[job.name] = { error: (error as Error).message };
    }
  }
  return results;
}

/**
 * One minute tick, from the in-process timer or /api/cron/tick: wall jobs, then pipeline jobs unless the clock
 * is manual (those run on clock moves). Each job runs at most once per tick across all instances.
 */
export async function runTick(db: DB): Promise<Record<string, unknown>> {
  const wall = await tickJobs(db, 'wall', { onceEveryMs: TICK_GATE_MS });
  if (env().CDP_CLOCK === 'manual') return wall;
  return { ...wall, ...(await tickJobs(db, 'pipeline', { onceEveryMs: TICK_GATE_MS })) };
}

/**
 * Starts the once-a-minute tick (idempotent); CDP_SCHEDULER=off leaves ticks to /api/cron/tick. A tick is background
 * work: a stopping server starts none and lets the one in flight finish (lib/common/background-work.ts).
 */
export function startScheduler(): void {
  if (state.__cdpTimer || isStopping() || env().CDP_SCHEDULER === 'off') return;
  state.__cdpTimer = setInterval(() => {
    asBackgroundWork(async () => runTick(await getDb())).catch((error) => {
      if (!isShutdownError(error)) console.error('[cdp] scheduler tick failed', error);
    });
  }, TICK_MS);
  state.__cdpTimer.unref();
}

/** Stops the minute tick (a stopping server); a tick in flight finishes. */
export function stopScheduler(): void {
  clearInterval(state.__cdpTimer);
  state.__cdpTimer = undefined;
}
