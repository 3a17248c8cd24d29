import 'server-only';
import type { DB } from '@/lib/db';
import { addMs } from '@/lib/common/duration';
import { readJson } from '@/lib/cdp/model/stored-event';
import { STITCH_LOOKBACK_MS } from '@/lib/cdp/model/windows';
import { updateTraits, type Traits } from '@/lib/cdp/store/profiles';

/**
 * Traits an identify without a userId set on an anonymous profile (kept on its identify events until then) join
 * the person when that anonymous id is identified, in the order they were sent, before the identify's own traits:
 * later traits win, as on Customer.io. Only identifies not yet on a person count (the ones about to be stitched, in
 * the same 30-day window), so a later identify of the same device never replays old traits over newer ones.
 */
export async function carryAnonymousTraits(db: DB, anonymousId: string, personId: string, at: Date): Promise<void> {
  const identifies = await db
    .selectFrom('cdp_events')
    .select(['traits', 'trusted'])
    .where('anonymous_id', '=', anonymousId)
    .where('type', '=', 'identify')
    .where('user_id', 'is', null)
    .where('person_id', 'is', null)
    .where('received_at', '>=', addMs(at, -STITCH_LOOKBACK_MS).toISOString())
    .orderBy('seq')
    .execute();
  for (const row of identifies) {
    const traits = readJson<Traits>(row.traits, {});
    // A browser's anonymous identify may name any email: only one the server sent is an address messages may use.
    if (Object.keys(traits).length) await updateTraits(db, personId, traits, at, { emailTrusted: row.trusted === 1 });
  }
}
