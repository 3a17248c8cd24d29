import 'server-only';
import { env } from '@/lib/env';
import { forwardJob } from '@/lib/cdp/forward/deliver';
import { purgeAnonymous } from '@/lib/cdp/identity/purge';
import { purgeHeldForwards } from '@/lib/cdp/store/forward-queue';
import { purgeRejections } from '@/lib/cdp/store/rejections';
import { journeyPass } from './journey-pass';
import { registerJob } from './scheduler';

/** Every job of the pipeline, registered in the order they run. Add new jobs here. */
export function registerCdpJobs(): void {
  registerJob('purge-anonymous', async ({ db, now }) => ({ purged_events: await purgeAnonymous(db, now) }));
  // The data-quality log: refused calls, and identity calls held for failing verification, after 30 days.
  registerJob('purge-rejections', async ({ db, now }) => ({
    purged_rejections: await purgeRejections(db, now),
    purged_held: await purgeHeldForwards(db, now),
  }));
  registerJob('journeys', ({ db, now }) =>
    journeyPass(db, { now, liveCartStrategy: env().CART_RECOVERY_STRATEGY, appUrl: env().appUrl }),
  );
  registerJob('forward-to-customerio', ({ db }) => forwardJob(db), {
    clock: 'wall',
  });
}
