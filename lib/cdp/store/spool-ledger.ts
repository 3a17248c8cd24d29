import 'server-only';
import type { DB } from '@/lib/db';
import { addMs, DAY } from '@/lib/common/duration';

/**
 * The ingest spool's lines stored (cdp_spool_stored, migration 0032). Noted in the transaction that stores a line;
 * false when one did already: a process that stopped between that commit and noting the line as done in its spool
 * file must not store it a second time (lib/cdp/runtime/spool-drain.ts).
 */
export async function claimSpoolEntry(db: DB, entryId: string): Promise<boolean> {
  const inserted = await db
    .insertInto('cdp_spool_stored')
    .values({ entry_id: entryId, stored_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('entry_id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A line the spool file no longer holds needs no note; notes left by a drain that failed here go after 30 days. */
export async function forgetSpoolEntry(db: DB, entryId: string): Promise<void> {
  const stale = addMs(new Date(), -30 * DAY).toISOString();
  await db
    .deleteFrom('cdp_spool_stored')
    .where((eb) => eb.or([eb('entry_id', '=', entryId), eb('stored_at', '<', stale)]))
    .execute();
}
