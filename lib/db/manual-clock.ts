import 'server-only';
import { env } from '@/lib/env';
import type { DB } from './index';

/** The manual clock: its time now, and the time its last move set (it has run on at wall speed since). */
export type ManualClock = { now: Date; movedTo: Date };

/**
 * The manual clock (CDP_CLOCK=manual, for tests and demos), kept in `cdp_clock`; null on the system clock, or before
 * the clock was first read. Here, beneath the shop and the pipeline, because both keep time by it: the pipeline
 * everywhere (lib/cdp/store/clock.ts), the shop for the restore links it mints and checks
 * (lib/shop/server/shop-clock.ts), so a demo that moves the clock 8 days also sees a recovery email's link expire.
 */
export async function readManualClock(db: DB): Promise<ManualClock | null> {
  if (env().CDP_CLOCK !== 'manual') return null;
  const row = await db.selectFrom('cdp_clock').select(['now', 'wall_at']).where('id', '=', 1).executeTakeFirst();
  if (!row) return null;
  const movedTo = new Date(row.now);
  return { now: new Date(movedTo.getTime() + (Date.now() - Date.parse(row.wall_at))), movedTo };
}
