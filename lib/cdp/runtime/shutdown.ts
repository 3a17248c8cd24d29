import 'server-only';
import { closeDb } from '@/lib/db';
import { env } from '@/lib/env';
import { drainBackgroundWork } from '@/lib/common/background-work';
import { settleBy } from '@/lib/common/deadline.mjs';
import { stopJourneyPasses } from './journey-pass';
import { stopScheduler } from './scheduler';

/**
 * A server told to stop (SIGTERM from a deploy, Ctrl+C) drains the pipeline before it exits, within
 * SHUTDOWN_TIMEOUT_MS: the minute tick stops, journey passes stop at their next slice (redone by the next pass), and
 * the background work (forwarding, the shop's outbox, a tick in flight: lib/common/background-work.ts) takes nothing
 * new and stops at its next safe point, handing back what it claimed; what still waits on an answer near the end is
 * abandoned and handed back too. scripts/serve.mjs runs it between closing its listener and exiting, through the
 * `Shutdown` published here on globalThis (it runs outside Next's bundle); Next's own servers through start.ts.
 */
export const SHUTDOWN = Symbol.for('glowlab.shutdown.v1');

/** Set on globalThis by scripts/serve.mjs before Next.js loads: that server calls the drain itself. */
export const SERVER_DRAINS = Symbol.for('glowlab.server-drains.v1');

/** At most this much of the time is kept for work abandoned at the end to hand back its claims. */
const HAND_BACK_MS = 2_000;

/** `settled`: no background work left running; `abandoned`: some was cut short at the end (and handed back). */
export type DrainReport = { settled: boolean; running: number; abandoned: boolean };

export type Shutdown = {
  /** SHUTDOWN_TIMEOUT_MS: the whole stop's budget. */
  timeoutMs: number;
  /** Drains the pipeline by `until` (epoch ms); `settled` when no background work is left running. */
  drain(until: number): Promise<DrainReport>;
  /** Closes the app's database by `until`: false when it did not close in time (a connection still waiting). */
  closeDatabase(until: number): Promise<boolean>;
};

export async function drainPipeline(until: number): Promise<DrainReport> {
  stopScheduler();
  stopJourneyPasses();
  const handBack = Math.min(HAND_BACK_MS, Math.max(0, until - Date.now()) / 3);
  const { running, abandoned } = await drainBackgroundWork({ abandonAt: until - handBack, until });
  return { settled: running === 0, running, abandoned };
}

export function closeDatabaseBy(until: number): Promise<boolean> {
  const closed = closeDb().then(
    () => true,
    (error: unknown) => {
      console.error('[db] closing the database failed', error);
      return false;
    },
  );
  return settleBy(closed, until, false);
}

export function publishShutdown(): void {
  const shutdown: Shutdown = {
    timeoutMs: env().SHUTDOWN_TIMEOUT_MS,
    drain: drainPipeline,
    closeDatabase: closeDatabaseBy,
  };
  (globalThis as Record<symbol, unknown>)[SHUTDOWN] = shutdown;
}

export const serverDrainsItself = () => (globalThis as Record<symbol, unknown>)[SERVER_DRAINS] === true;
