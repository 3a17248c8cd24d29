import 'server-only';
import type { z } from 'zod';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { safeEqual } from '@/lib/common/secrets';
import { errorResponse } from '@/lib/common/http';
import { registerCdpJobs } from '@/lib/cdp/runtime/jobs';
import { runTick } from '@/lib/cdp/runtime/scheduler';
import type { cronTickResponse } from './contract';

const noStore = { 'Cache-Control': 'no-store' };

/**
 * GET or POST /api/cron/tick with `Authorization: Bearer $CRON_SECRET`: one minute tick of the pipeline's jobs,
 * for hosts without a long-lived process (Vercel Cron sends exactly that GET). Jobs another instance or an
 * earlier call already ran this minute are skipped, so calling it from several places is harmless. The answer
 * is `cronTickResponse` in ./contract.ts.
 */
export async function handleCronTick(request: Request): Promise<Response> {
  const secret = env().CRON_SECRET;
  if (!secret)
    return Response.json(
      { error: 'The cron route is off: set CRON_SECRET (16+ characters) and send it as a Bearer token' },
      { status: 404, headers: noStore },
    );
  const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!bearer || !safeEqual(bearer, secret))
    return Response.json(
      { error: 'Send Authorization: Bearer <CRON_SECRET>' },
      { status: 401, headers: { ...noStore, 'WWW-Authenticate': 'Bearer' } },
    );
  try {
    registerCdpJobs();
    const body: z.input<typeof cronTickResponse> = { jobs: await runTick(await getDb()) };
    return Response.json(body, { headers: noStore });
  } catch (error) {
    return errorResponse(error, noStore);
  }
}
