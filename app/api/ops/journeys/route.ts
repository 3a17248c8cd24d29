import { journeySummaries, opsRoute } from '@/lib/cdp';
import { journeysResponse } from '@/lib/cdp/ops/contract';
import { env } from '@/lib/env';

export const GET = opsRoute(journeysResponse, async ({ db }) => ({
  live_cart_strategy: env().CART_RECOVERY_STRATEGY,
  journeys: await journeySummaries(db, env().CART_RECOVERY_STRATEGY),
}));
