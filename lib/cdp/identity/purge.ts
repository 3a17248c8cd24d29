import 'server-only';
import type { DB } from '@/lib/db';
import { deleteInChunks } from '@/lib/db/delete-in-chunks';
import { addMs } from '@/lib/common/duration';
import { ANONYMOUS_RETENTION_MS } from '@/lib/cdp/model/windows';
import { dropHeldForwards } from '@/lib/cdp/store/forward-queue';

/**
 * Rule 7, Customer.io's retention of anonymous events: each event that no person took in is deleted once it was
 * received more than 30 days ago, by its own age, whatever its anonymous id did since (an id still active, or
 * identified once, keeps no old event alive). That includes browser calls kept on their anonymous profile because
 * nothing vouched for the userId they named (`unverified_user_id`): past the 30-day stitch lookback no link can
 * claim them any more, so they are anonymous activity like the rest, and their held forward goes with them.
 * Identity calls held back for want of a signature are a record of what was tried: they stay. A call that joined a
 * person (person_id set) is never purged here.
 * Returns the number of events deleted; a month of a busy shop's traffic goes a chunk at a time (deleteInChunks).
 */
export async function purgeAnonymous(db: DB, at: Date): Promise<number> {
  const cutoff = addMs(at, -ANONYMOUS_RETENTION_MS).toISOString();
  return deleteInChunks(async (limit) => {
    // Found through cdp_events_unclaimed (these three conditions are its own), oldest first.
    const doomed = await db
      .selectFrom('cdp_events')
      .select(['seq', 'message_id', 'user_id'])
      .where('person_id', 'is', null)
      .where('identity_check', 'is', null)
      .where('received_at', '<', cutoff)
      .orderBy('received_at')
      .limit(limit)
      .execute();
    if (!doomed.length) return 0;
    // person_id checked again: on PostgreSQL another instance may have linked one since the select.
    const deleted = await db
      .deleteFrom('cdp_events')
      .where(
        'seq',
        'in',
        doomed.map((e) => e.seq),
      )
      .where('person_id', 'is', null)
      .executeTakeFirst();
    await dropHeldForwards(
      db,
      doomed.filter((e) => e.user_id !== null).map((e) => e.message_id),
    );
    return deleted.numDeletedRows;
  });
}
