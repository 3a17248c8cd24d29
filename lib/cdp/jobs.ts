import 'server-only';
import { flushForwardQueue } from './forward/deliver';
import { purgeAnonymous } from './identity/purge';
import { registerJob } from './scheduler';

/** Every job of the pipeline, registered in the order they run. Add new jobs (segments, journeys) here. */
export function registerCdpJobs(): void {
  registerJob('purge-anonymous', async ({ db, now }) => ({ purged_events: await purgeAnonymous(db, now) }));
  registerJob('forward-to-customerio', async ({ db }) => (await flushForwardQueue(db)) ?? { skipped: 'CIO_WRITE_KEY is not set' }, {
    clock: 'wall',
  });
}
