import 'server-only';
import type { DB } from '@/lib/db';
import { deleteInChunks } from '@/lib/db/delete-in-chunks';
import { addMs } from '@/lib/common/duration';
import { ANONYMOUS_RETENTION_MS } from '@/lib/cdp/model/windows';

/**
 * Rule 7, Customer.io's retention of anonymous events: each anonymous event (no userId) that no person took in is
 * deleted once it was received more than 30 days ago, by its own age, whatever its anonymous id did since (an id
 * still active, or identified once, keeps no old event alive). Calls that named a userId but joined nobody (identity
 * calls held back for want of a signature) are a record of what was tried, not anonymous activity: they stay.
 * Returns the number of events deleted; a month of a busy shop's traffic goes a chunk at a time (deleteInChunks).
 */
export async function purgeAnonymous(db: DB, at: Date): Promise<number> {
  const cutoff = addMs(at, -ANONYMOUS_RETENTION_MS).toISOString();
  return deleteInChunks(async (limit) => {
    // Found through cdp_events_unclaimed (these three conditions are its own), oldest first.
    const doomed = db
      .selectFrom('cdp_events')
      .select('seq')
      .where('person_id', 'is', null)
      .where('user_id', 'is', null)
      .where('received_at', '<', cutoff)
      .orderBy('received_at')
      .limit(limit);
    return (await db.deleteFrom('cdp_events').where('seq', 'in', doomed).executeTakeFirst()).numDeletedRows;
  });
}
