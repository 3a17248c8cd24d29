import { z } from 'zod';
import { advanceClock, notFound, now, opsRoute, parseJsonBody, registerCdpJobs, setClock, tickJobs } from '@/lib/cdp';
import { clockMoveResponse, clockResponse } from '@/lib/cdp/ops/contract';
import { durationSchema, parseDuration } from '@/lib/common/duration';
import { env } from '@/lib/env';

const move = z
  .object({
    advance: durationSchema.optional(),
    set: z.iso.datetime({ offset: true, error: 'set must be an ISO 8601 date-time' }).optional(),
  })
  .refine(
    (b) => (b.advance === undefined) !== (b.set === undefined),
    'send either { "advance": "4h" } or { "set": "<ISO date-time>" }',
  );

export const GET = opsRoute(clockResponse, async ({ db }) => ({
  now: (await now(db)).toISOString(),
  mode: env().CDP_CLOCK,
}));

/** Moves a manual pipeline clock, then runs the pipeline's jobs (purge, journeys…) at the new time. */
export const POST = opsRoute(clockMoveResponse, async ({ request, db }) => {
  if (env().CDP_CLOCK !== 'manual')
    return notFound('The pipeline runs on the system clock; start the app with CDP_CLOCK=manual to move it');
  const body = await parseJsonBody(request, move);
  // The schema guarantees exactly one of the two.
  const at =
    body.advance === undefined
      ? await setClock(db, new Date(body.set!))
      : await advanceClock(db, parseDuration(body.advance));
  registerCdpJobs();
  const jobs = await tickJobs(db, 'pipeline');
  return { now: at.toISOString(), jobs };
});
