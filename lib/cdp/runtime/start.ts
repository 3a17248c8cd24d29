import 'server-only';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { forwardTarget } from '@/lib/cdp/forward/deliver';
import { registerCdpJobs } from './jobs';
import { startScheduler } from './scheduler';
import { kickSpoolDrainer } from './spool-drain';
import { drainPipeline, publishShutdown, serverDrainsItself } from './shutdown';
import { processState } from '@/lib/common/process-state';

/** Start-up (from instrumentation.ts): migrate, register the jobs, start the scheduler, say where events go. */
export async function startPipeline(): Promise<void> {
  const e = env();
  await getDb();
  registerCdpJobs();
  startScheduler();
  drainLeftSpool();
  publishShutdown();
  drainOnSignals();

  const target = forwardTarget();
  const local = e.CDP_LOCAL === 'on' ? 'stored locally' : 'not stored locally (CDP_LOCAL=off)';
  console.log(`[cdp] Events are ${local}${target ? `, forwarded to ${target.url}` : ''}; clock: ${e.CDP_CLOCK}.`);
  if (e.CDP_SCHEDULER === 'off')
    console.log('[cdp] In-process scheduler off (CDP_SCHEDULER=off): jobs run when /api/cron/tick is called.');
  if (!target && e.CDP_LOCAL === 'off')
    console.warn('[cdp] CDP_LOCAL=off without CIO_WRITE_KEY: events are accepted and dropped.');
}

/**
 * Stores what a previous run kept in the ingest spool while the database was not answering (spool-drain.ts). A spool
 * folder that cannot be made (a read-only disk, as on serverless hosts) is no reason not to start: the ingest then
 * answers 503 as it did before the spool.
 */
function drainLeftSpool() {
  try {
    kickSpoolDrainer();
  } catch (error) {
    console.warn(`[cdp] No ingest spool (CDP_SPOOL_DIR): ${(error as Error).message}`);
  }
}

/**
 * SIGTERM/SIGINT drain the pipeline before the process exits (shutdown.ts). scripts/serve.mjs does it itself,
 * between closing its listener and exiting. Next's own servers (.next/standalone/server.js, `next start`,
 * `next dev`) exit as soon as their HTTP server has closed, whatever runs in the background: their signal
 * listeners, registered before the pipeline starts, are held back until the drain is done, then called (they
 * close the server, wait for its requests and exit with 143). Where nobody else listens (a script), the signal is
 * raised again once drained, so the default (exit) still happens. A second signal during the drain changes
 * nothing: shells and npm send Ctrl+C's SIGINT twice.
 */
const hooks = processState<{ __cdpShutdownHooks: () => void }>({ __cdpShutdownHooks: (unhook) => unhook() });
function drainOnSignals() {
  if (hooks.__cdpShutdownHooks || serverDrainsItself()) return;
  const unhooks = (['SIGTERM', 'SIGINT'] as const).map((signal) => {
    const theirs = process.listeners(signal);
    for (const listener of theirs) process.off(signal, listener);
    let draining = false;
    const listener = () => {
      if (draining) return;
      draining = true;
      const timeoutMs = env().SHUTDOWN_TIMEOUT_MS;
      console.log(`[cdp] ${signal}: draining background passes before the server stops (at most ${timeoutMs} ms)…`);
      void drainPipeline(Date.now() + timeoutMs).then(({ settled, running }) => {
        if (!settled) console.error(`[cdp] ${running} background task(s) still running at the shutdown deadline`);
        if (theirs.length) for (const next of theirs) next(signal);
        else {
          process.off(signal, listener);
          process.kill(process.pid, signal);
        }
      });
    };
    process.on(signal, listener);
    return () => {
      process.off(signal, listener);
      for (const next of theirs) process.on(signal, next);
    };
  });
  hooks.__cdpShutdownHooks = () => unhooks.forEach((unhook) => unhook());
}

/**
 * startPipeline for instrumentation.ts: a variable the app cannot use (e.g. DATABASE_URL=mysql://…) stops the
 * process with its message instead of leaving a server that answers every request with a 500. Here, not in
 * instrumentation.ts, because that file is also compiled for the Edge runtime, which has no process.exit.
 */
export async function startPipelineOrExit(): Promise<void> {
  try {
    await startPipeline();
  } catch (error) {
    // By name, not instanceof: instrumentation and lib/env may be separate bundles with separate classes.
    if ((error as Error).name !== 'EnvError') throw error;
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
}
