import { z } from 'zod';
import { journeyPass, notFound, now, opsRoute, parseJsonBody } from '@/lib/cdp';
import { journeyPassResponse } from '@/lib/cdp/ops/contract';
import { env } from '@/lib/env';
import { otherMethods } from '@/lib/common/http-methods';

// The command takes no options: `{}`. Strict, as every ops command: broken JSON or a key it does not know (a
// misspelt option, one meant for /api/ops/clock) is a 400, not a pass run as if it had been read.
const body = z.strictObject({});

/** Runs due journey steps at the manual clock's time (on the system clock the minute scheduler does it). */
export const POST = opsRoute(journeyPassResponse, async ({ request, db }) => {
  const e = env();
  if (e.CDP_CLOCK !== 'manual')
    return notFound(
      'Journeys run every minute on the system clock; start the app with CDP_CLOCK=manual to run them on demand',
    );
  await parseJsonBody(request, body);
  const { processed, sent } = await journeyPass(db, {
    now: await now(db),
    liveCartStrategy: e.CART_RECOVERY_STRATEGY,
    appUrl: e.appUrl,
  });
  return { processed, sent };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
