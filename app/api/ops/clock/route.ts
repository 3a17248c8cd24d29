import { z } from 'zod';
import {
  advanceClock,
  moveClockTo,
  notFound,
  now,
  opsRoute,
  parseJsonBody,
  registerCdpJobs,
  tickJobs,
} from '@/lib/cdp';
import { clockMoveResponse, clockResponse } from '@/lib/cdp/ops/contract';
import { durationSchema, parseDuration } from '@/lib/common/duration';
import { env } from '@/lib/env';
import { otherMethods } from '@/lib/common/http-methods';

// Strict: a misspelt key ({ "advanced": "4h" }) is a 400 naming it, not a move that silently did nothing.
const move = z
  .strictObject({
    advance: durationSchema.optional(),
    set: z.iso.datetime({ offset: true, error: 'set must be an ISO 8601 date-time' }).optional(),
    rewind: z.boolean({ error: 'rewind must be true or false' }).optional(),
  })
  .refine(
    (b) => (b.advance === undefined) !== (b.set === undefined),
    'send either { "advance": "4h" } or { "set": "<ISO date-time>" }',
  )
  .refine((b) => !b.rewind || b.set !== undefined, { message: 'rewind goes with set', path: ['rewind'] });

export const GET = opsRoute(clockResponse, async ({ db }) => ({
  now: (await now(db)).toISOString(),
  mode: env().CDP_CLOCK,
}));

/**
 * Moves a manual pipeline clock, then runs the pipeline's jobs (purge, journeys…) at the new time. Forward only:
 * a `set` to an earlier time needs `"rewind": true` (moveClockTo says why).
 */
export const POST = opsRoute(clockMoveResponse, async ({ request, db }) => {
  if (env().CDP_CLOCK !== 'manual')
    return notFound('The pipeline runs on the system clock; start the app with CDP_CLOCK=manual to move it');
  const body = await parseJsonBody(request, move);
  // The schema guarantees exactly one of the two.
  const at =
    body.advance === undefined
      ? await moveClockTo(db, new Date(body.set!), { rewind: body.rewind })
      : await advanceClock(db, parseDuration(body.advance));
  registerCdpJobs();
  const jobs = await tickJobs(db, 'pipeline');
  return { now: at.toISOString(), jobs };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET', 'POST');
