import 'server-only';
import { getDb } from '@/lib/db';
import { readManualClock } from '@/lib/db/manual-clock';
import { env } from '@/lib/env';

/**
 * The time the shop mints and checks restore links at: the pipeline's clock. On the system clock that is the wall
 * clock; with CDP_CLOCK=manual (tests, demos) it is the manual clock, so a link minted when the cart changed lives
 * 7 days of the time the demo moves, the time its recovery email went out by — not 7 days of wall time.
 */
export async function shopNow(): Promise<Date> {
  if (env().CDP_CLOCK !== 'manual') return new Date();
  return (await readManualClock(await getDb()))?.now ?? new Date();
}
