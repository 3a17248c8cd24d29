import 'server-only';
import { env } from '@/lib/env';
import type { DB } from './index';

/**
 * The time on the manual clock (CDP_CLOCK=manual, for tests and demos): kept in `cdp_clock`, running at wall speed
 * since its last move; null on the system clock, or before the clock was first read. Here, beneath the shop and the
 * pipeline, because both keep time by it: the pipeline everywhere (lib/cdp/store/clock.ts), the shop for the
 * restore links it mints and checks (lib/shop/server/shop-clock.ts), so a demo that moves the clock 8 days also
 * sees a recovery email's link expire.
 */
export async function readManualClock(db: DB): Promise<Date | null> {
  if (env().CDP_CLOCK !== 'manual') return null;
  const row = await db.selectFrom('cdp_clock').select(['now', 'wall_at']).where('id', '=', 1).executeTakeFirst();
  return row ? new Date(Date.parse(row.now) + (Date.now() - Date.parse(row.wall_at))) : null;
}
