import { z } from 'zod';
import { advanceClock, now, parseDuration, setClock } from '@/lib/cdp/clock';
import { HttpError } from '@/lib/cdp/http';
import { registerCdpJobs } from '@/lib/cdp/jobs';
import { notFound, opsRoute, parseJsonBody } from '@/lib/cdp/ops-api';
import { runJobs } from '@/lib/cdp/scheduler';
import { env } from '@/lib/env';

const move = z
  .object({
    advance: z
      .string()
      .refine((v) => parseDuration(v) !== null, 'advance must be a duration such as "4h", "30m", "5d" or "1d2h"')
      .optional(),
    set: z.iso.datetime({ offset: true, error: 'set must be an ISO 8601 date-time' }).optional(),
  })
  .refine((b) => (b.advance === undefined) !== (b.set === undefined), 'send either { "advance": "4h" } or { "set": "<ISO date-time>" }');

export const GET = opsRoute(async ({ db }) => ({ now: (await now(db)).toISOString(), mode: env().CDP_CLOCK }));

/** Moves a manual pipeline clock, then runs the pipeline's jobs (purge, journeys…) at the new time. */
export const POST = opsRoute(async ({ request, db }) => {
  if (env().CDP_CLOCK !== 'manual') return notFound('The pipeline runs on the system clock; start the app with CDP_CLOCK=manual to move it');
  const body = await parseJsonBody(request, move);
  const ms = body.advance === undefined ? null : parseDuration(body.advance);
  if (ms === null && body.set === undefined) throw new HttpError(400, 'Nothing to do');
  const at = ms === null ? await setClock(db, new Date(body.set!)) : await advanceClock(db, ms);
  registerCdpJobs();
  const jobs = await runJobs(db, 'pipeline');
  return { now: at.toISOString(), jobs };
});
