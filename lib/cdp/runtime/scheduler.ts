import 'server-only';
import { getDb, type DB } from '@/lib/db';
import { env } from '@/lib/env';
import { MINUTE } from '@/lib/common/duration';
import { now } from '@/lib/cdp/store/clock';

export type JobContext = { db: DB; now: Date };
/**
 * `pipeline` jobs follow the pipeline clock: every minute on the system clock, and on each move of a manual
 * clock (POST /api/ops/clock). `wall` jobs talk to the outside world and run every minute regardless.
 */
export type JobClock = 'pipeline' | 'wall';
type Job = { name: string; clock: JobClock; task: (ctx: JobContext) => Promise<unknown> };

const TICK_MS = MINUTE;

// On globalThis: instrumentation.ts and route handlers are separate bundles with separate module instances.
const state = globalThis as typeof globalThis & { __cdpJobs?: Map<string, Job>; __cdpTimer?: NodeJS.Timeout };
const jobs = (state.__cdpJobs ??= new Map());

/** Registers (or replaces) a job by name; registering twice is harmless. */
export function registerJob(name: string, task: Job['task'], { clock = 'pipeline' }: { clock?: JobClock } = {}): void {
  jobs.set(name, { name, clock, task });
}

/** One tick of a clock: its jobs in registration order; one failing job is logged and does not stop the others. */
export async function tickJobs(db: DB, clock: JobClock): Promise<Record<string, unknown>> {
  const ctx = { db, now: await now(db) };
  const results: Record<string, unknown> = {};
  for (const job of jobs.values()) {
    if (job.clock !== clock) continue;
    try {
      results[job.name] = await job.task(ctx);
    } catch (error) {
      console.error(`[cdp] job ${job.name} failed`, error);
      results[job.name] = { error: (error as Error).message };
    }
  }
  return results;
}

/** Starts the once-a-minute tick (idempotent). A manual clock leaves pipeline jobs to clock moves. */
export function startScheduler(): void {
  if (state.__cdpTimer) return;
  const manual = env().CDP_CLOCK === 'manual';
  state.__cdpTimer = setInterval(async () => {
    try {
      const db = await getDb();
      await tickJobs(db, 'wall');
      if (!manual) await tickJobs(db, 'pipeline');
    } catch (error) {
      console.error('[cdp] scheduler tick failed', error);
    }
  }, TICK_MS);
  state.__cdpTimer.unref();
}
