import { journeySummaries, NO_QUERY, opsRoute, parseQuery } from '@/lib/cdp';
import { journeysResponse } from '@/lib/cdp/ops/contract';
import { env } from '@/lib/env';
import { otherMethods } from '@/lib/common/http-methods';

export const GET = opsRoute(journeysResponse, async ({ request, db }) => {
  parseQuery(request, NO_QUERY);
  return {
    live_cart_strategy: env().CART_RECOVERY_STRATEGY,
    journeys: await journeySummaries(db, env().CART_RECOVERY_STRATEGY),
  };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
