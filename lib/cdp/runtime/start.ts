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
