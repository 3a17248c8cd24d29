import { journeySummaries } from '@/lib/cdp/read/journey-report';
import { opsRoute } from '@/lib/cdp/ops/route';
import { env } from '@/lib/env';

export const GET = opsRoute(async ({ db }) => ({
  live_cart_strategy: env().CART_RECOVERY_STRATEGY,
  journeys: await journeySummaries(db, env().CART_RECOVERY_STRATEGY),
}));
