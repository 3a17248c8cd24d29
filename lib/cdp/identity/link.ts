import 'server-only';
import type { DB } from '@/lib/db';
import { addMs } from '@/lib/common/duration';
import { refreshSeen } from '@/lib/cdp/store/profiles';
import { LATE_EVENT_WINDOW_MS, STITCH_LOOKBACK_MS } from '@/lib/cdp/model/windows';

/**
 * Links an anonymous id to a person (a person may own many: phone, laptop) and stitches that id's anonymous
 * events from the last 30 days into the person's timeline (identity calls held back excepted). Re-linking restarts
 * the 5-minute late-event window. An id linked to someone else until now (an email typed into another person's
 * browser, a shared device) brings the events stitched through it along: a stitched event is always on the person
 * its anonymous id is linked to.
 * Only events received up to 5 minutes after the id's FIRST identify are stitched, as in Customer.io: an event of an
 * identified id that arrived later was left anonymous then and stays so when the same id is identified again; only
 * a new anonymous id brings its events along.
 * Returns how many events were stitched.
 */
export async function linkAnonymousId(db: DB, anonymousId: string, personId: string, at: Date): Promise<number> {
  const iso = at.toISOString();
  const previous = await db
    .selectFrom('cdp_identities')
    .select(['person_id', 'first_linked_at'])
    .where('anonymous_id', '=', anonymousId)
    .executeTakeFirst();
  await db
    .insertInto('cdp_identities')
    .values({ anonymous_id: anonymousId, person_id: personId, linked_at: iso, first_linked_at: iso })
    .onConflict((oc) => oc.column('anonymous_id').doUpdateSet({ person_id: personId, linked_at: iso }))
    .execute();
  if (previous && previous.person_id !== personId) {
    await db
      .updateTable('cdp_events')
      .set({ person_id: personId, attached_at: iso })
      .where('anonymous_id', '=', anonymousId)
      .where('stitched', '=', 1)
      .where('person_id', '=', previous.person_id)
      .execute();
    // The caller refreshes the person it links to; the one the events left is refreshed here.
    await refreshSeen(db, previous.person_id);
  }
  const firstLinked = previous ? new Date(previous.first_linked_at) : at;
  const result = await db
    .updateTable('cdp_events')
    .set({ person_id: personId, stitched: 1, attached_at: iso })
    .where('anonymous_id', '=', anonymousId)
    .where('person_id', 'is', null)
    // An identity call held back stays a record of what was tried; it never joins a person. A browser call kept
    // anonymous because nothing vouched for its userId (placement.ts) joins only the person it names.
    .where((eb) => eb.or([eb('identity_check', 'is', null), eb('identity_check', '!=', 'unverified')]))
    .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '=', personId)]))
    .where('received_at', '>=', addMs(at, -STITCH_LOOKBACK_MS).toISOString())
    .where('received_at', '<=', addMs(firstLinked, LATE_EVENT_WINDOW_MS).toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
