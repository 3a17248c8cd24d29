import 'server-only';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { forwardTarget } from '@/lib/cdp/forward/deliver';
import { registerCdpJobs } from './jobs';
import { startScheduler } from './scheduler';

/** Start-up (from instrumentation.ts): migrate, register the jobs, start the scheduler, say where events go. */
export async function startPipeline(): Promise<void> {
  const e = env();
  await getDb();
  registerCdpJobs();
  startScheduler();

  const target = forwardTarget();
  const local = e.CDP_LOCAL === 'on' ? 'stored locally' : 'not stored locally (CDP_LOCAL=off)';
  console.log(`[cdp] Events are ${local}${target ? `, forwarded to ${target.url}` : ''}; clock: ${e.CDP_CLOCK}.`);
  if (e.CDP_SCHEDULER === 'off')
    console.log('[cdp] In-process scheduler off (CDP_SCHEDULER=off): jobs run when /api/cron/tick is called.');
  if (!target && e.CDP_LOCAL === 'off')
    console.warn('[cdp] CDP_LOCAL=off without CIO_WRITE_KEY: events are accepted and dropped.');
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
