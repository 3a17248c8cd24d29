import 'server-only';
import type { Expression, ExpressionBuilder, SqlBool, UpdateObject } from 'kysely';
import type { Database, DB } from '@/lib/db';
import { dialectOf } from '@/lib/db/dialect';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { addMs } from '@/lib/common/duration';
import { DELETE_CHUNK_ROWS, deleteInChunks as inChunks } from '@/lib/db/delete-in-chunks';
import { refreshSeen } from '@/lib/cdp/store/profiles';
import { touchProfiles } from '@/lib/cdp/store/journey-due';
import { releaseVouchedForwards } from '@/lib/cdp/store/forward-queue';
import { LATE_EVENT_WINDOW_MS, STITCH_LOOKBACK_MS } from '@/lib/cdp/model/windows';
import type { Violation } from '@/lib/cdp/model/quality';
import { readJson } from '@/lib/cdp/model/stored-event';

/**
 * Links an anonymous id to a person (a person may own many: phone, laptop) and stitches that id's anonymous
 * events from the last 30 days into the person's timeline (identity calls held back excepted). Re-linking restarts
 * the 5-minute late-event window. An id linked to someone else until now (an email typed into another person's
 * browser, a shared device) brings the anonymous events stitched through it along: such an event is always on the
 * person its anonymous id is linked to (a call naming a userId stays with that person).
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
    const moved: EventFilter = (eb) =>
      eb.and([
        eb('anonymous_id', '=', anonymousId),
        eb('stitched', '=', 1),
        eb('person_id', '=', previous.person_id),
        // A call that names its person (claimed below when this browser was theirs) stays with them: it never joins
        // anyone else (README, "A userId from the browser key proves nothing").
        eb('user_id', 'is', null),
      ]);
    await updateEvents(db, moved, { person_id: personId, attached_at: iso });
    // The caller refreshes the person it links to; the one the events left is refreshed here, and its journey runs
    // looked at again (a run whose cart went along exits).
    await refreshSeen(db, previous.person_id);
    await touchProfiles(db, [previous.person_id]);
  }
  const firstLinked = previous ? new Date(previous.first_linked_at) : at;
  const since = addMs(at, -STITCH_LOOKBACK_MS).toISOString();
  const stitching: EventFilter = (eb) =>
    eb.and([
      eb('anonymous_id', '=', anonymousId),
      eb('person_id', 'is', null),
      // An identity call held back stays a record of what was tried; it never joins a person. Calls that named a
      // userId are claimed below, by that person only.
      eb.or([eb('identity_check', 'is', null), eb('identity_check', '!=', 'unverified')]),
      eb('user_id', 'is', null),
      eb('received_at', '>=', since),
      eb('received_at', '<=', addMs(firstLinked, LATE_EVENT_WINDOW_MS).toISOString()),
    ]);
  const stitched = await updateEvents(db, stitching, { person_id: personId, stitched: 1, attached_at: iso });
  return stitched + (await claimVouchedCalls(db, anonymousId, personId, since, iso));
}

type EventFilter = (eb: ExpressionBuilder<Database, 'cdp_events'>) => Expression<SqlBool>;

/**
 * Applies `change` to the events `filter` finds; returns how many. On SQLite a chunk at a time, with the event loop
 * free in between (inChunks, as the purges): better-sqlite3 is synchronous, anyone holding the browser key can pile
 * up an anonymous history and then sign up, and one UPDATE of 50,000 events held every request for ~7 s (a shopper's
 * connection was reset). Still the caller's one transaction, so a stitch is whole or not at all. PostgreSQL answers
 * asynchronously: one statement there, as few round trips as before.
 */
async function updateEvents(db: DB, filter: EventFilter, change: UpdateObject<Database, 'cdp_events'>) {
  const update = () => db.updateTable('cdp_events').set(change);
  if (dialectOf(db) === 'postgres') return Number((await update().where(filter).executeTakeFirst()).numUpdatedRows);
  const rows = await db.selectFrom('cdp_events').select('seq').where(filter).execute();
  let from = 0;
  return inChunks(async (limit) => {
    const seqs = rows.slice(from, (from += limit)).map((row) => row.seq);
    return seqs.length ? (await update().where('seq', 'in', seqs).executeTakeFirst()).numUpdatedRows : 0;
  });
}

/**
 * Browser calls kept on their anonymous profile because nothing vouched for the userId they named (placement.ts):
 * this link, to that very person, is the verification they lacked (the SDK sent them just before its signed
 * identify arrived, or that browser is the customer's after all). They join, whenever they arrived within the
 * lookback, and lose their `unverified_user_id` flag. Never anyone else's: they name who they are about.
 */
async function claimVouchedCalls(db: DB, anonymousId: string, personId: string, since: string, iso: string) {
  const kept = await db
    .selectFrom('cdp_events')
    .select(['seq', 'violations', 'message_id'])
    .where('anonymous_id', '=', anonymousId)
    .where('person_id', 'is', null)
    .where('user_id', '=', personId)
    .where((eb) => eb.or([eb('identity_check', 'is', null), eb('identity_check', '!=', 'unverified')]))
    .where('received_at', '>=', since)
    .execute();
  for (const [i, { seq, violations }] of kept.entries()) {
    // A turn for the event loop now and then, as the stitch above gives one (these are one statement each).
    if (i && i % DELETE_CHUNK_ROWS === 0) await nextTurn();
    const rest = readJson<Violation[]>(violations, []).filter((v) => v.kind !== 'unverified_user_id');
    await db
      .updateTable('cdp_events')
      .set({ person_id: personId, stitched: 1, attached_at: iso, violations: JSON.stringify(rest) })
      .where('seq', '=', seq)
      .execute();
  }
  await releaseVouchedForwards(
    db,
    kept.map((k) => k.message_id),
  );
  return kept.length;
}
