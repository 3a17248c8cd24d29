import 'server-only';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { forwardTarget } from './forward/deliver';
import { registerCdpJobs } from './jobs';
import { opsToken } from './ops-auth';
import { startScheduler } from './scheduler';

/** Start-up of the pipeline (called from instrumentation.ts): migrate, print where things are, start the scheduler. */
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
  // A token from OPS_TOKEN stays out of the log; a generated one has to be shown once to be usable.
  console.log(
    e.OPS_TOKEN
      ? `Ops console: ${e.appUrl}/ops (sign in with OPS_TOKEN)`
      : `Ops console: ${e.appUrl}/ops?token=${opsToken()}`,
  );
}
