import 'server-only';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { forwardTarget } from '@/lib/cdp/forward/deliver';
import { registerCdpJobs } from './jobs';
import { stopJourneyPasses } from './journey-pass';
import { startScheduler } from './scheduler';
import { processState } from '@/lib/common/process-state';

/** Start-up (from instrumentation.ts): migrate, register the jobs, start the scheduler, say where events go. */
export async function startPipeline(): Promise<void> {
  const e = env();
  await getDb();
  registerCdpJobs();
  startScheduler();
  stopPassesOnShutdown();

  const target = forwardTarget();
  const local = e.CDP_LOCAL === 'on' ? 'stored locally' : 'not stored locally (CDP_LOCAL=off)';
  console.log(`[cdp] Events are ${local}${target ? `, forwarded to ${target.url}` : ''}; clock: ${e.CDP_CLOCK}.`);
  if (e.CDP_SCHEDULER === 'off')
    console.log('[cdp] In-process scheduler off (CDP_SCHEDULER=off): jobs run when /api/cron/tick is called.');
  if (!target && e.CDP_LOCAL === 'off')
    console.warn('[cdp] CDP_LOCAL=off without CIO_WRITE_KEY: events are accepted and dropped.');
}

/**
 * A journey pass in flight stops at its next slice when the server is told to stop (its slices are idempotent
 * and the cursor only moves at the end, so the next start redoes it). The server (scripts/serve.mjs, `next start`,
 * .next/standalone/server.js) exits on these signals itself; where nothing else listens, the signal is raised again
 * so the default (exit) still happens.
 */
const hooks = processState<{ __cdpShutdownHooks: () => void }>({ __cdpShutdownHooks: (unhook) => unhook() });
function stopPassesOnShutdown() {
  if (hooks.__cdpShutdownHooks) return;
  const listeners = (['SIGTERM', 'SIGINT'] as const).map((signal) => {
    const listener = () => {
      stopJourneyPasses();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, listener);
    return () => process.off(signal, listener);
  });
  hooks.__cdpShutdownHooks = () => listeners.forEach((unhook) => unhook());
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
