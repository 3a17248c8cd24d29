import { describe, expect, it, vi } from 'vitest';
import { registerJob, startScheduler, tickJobs } from '@/lib/cdp/runtime/scheduler';
import { resetEnvCache } from '@/lib/env';
import { freshDb } from './support';

describe('scheduler registry', () => {
  it('runs the jobs of one clock in registration order, and a failing job does not stop the rest', async () => {
    const db = await freshDb();
    const ran: string[] = [];
    registerJob('first', async () => ran.push('first'));
    registerJob('broken', async () => {
      throw new Error('boom');
    });
    registerJob('outside', async () => ran.push('outside'), { clock: 'wall' });
    registerJob('last', async ({ now }) => {
      ran.push('last');
      return now instanceof Date;
    });

    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const results = await tickJobs(db, 'pipeline');
    expect(log).toHaveBeenCalledWith('[cdp] job broken failed', expect.any(Error));
    log.mockRestore();
    expect(ran).toEqual(['first', 'last']);
    expect(results).toMatchObject({ broken: { error: 'boom' }, last: true });
    await tickJobs(db, 'wall');
    expect(ran).toEqual(['first', 'last', 'outside']);
  });

  it('does not start the in-process timer with CDP_SCHEDULER=off (ticks then come from /api/cron/tick)', () => {
    const saved = process.env.CDP_SCHEDULER;
    process.env.CDP_SCHEDULER = 'off';
    resetEnvCache();
    startScheduler();
    expect((globalThis as { __cdpTimer?: unknown }).__cdpTimer).toBeUndefined();
    if (saved === undefined) delete process.env.CDP_SCHEDULER;
    else process.env.CDP_SCHEDULER = saved;
    resetEnvCache();
  });
});
