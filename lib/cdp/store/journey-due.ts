import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { finalStatuses, RUN_STATUSES } from '@/lib/cdp/engine/journeys/types';

/**
 * Which profiles with runs in flight a journey pass re-evaluates, besides those with new events: those with a run
 * whose time has come, and those whose stored events changed without a new event. Nothing else moves a run in
 * flight (engine/journeys/advance.ts): a hold ends at its deadline or with an email, which comes in an event; a wait
 * ends at its due time or with an exit, an event; the times it records derive from the events, so reading them a
 * pass later than they arrived changes nothing. A pass with no new events over N runs not yet due costs ~nothing.
 */

/**
 * `in` the statuses in flight, written as literals: the index of runs in flight is partial (migration 0027), and a
 * planner uses it only when the query's own text implies its `where`.
 */
const inFlightStatuses = RUN_STATUSES.filter((s) => !finalStatuses.includes(s)).map((s) => sql.lit(s));

export type ProfileInFlight = { id: string; person: boolean };

/**
 * Profiles with a run in flight that is due at `now` (its hold's deadline or its send time has come, or it has no
 * due time: `entered`), or that were touched up to touch id `touchedUpTo` (lastTouch). People or not: a join, not an
 * id list, since the people table may hold 100k rows.
 */
export async function profilesDue(db: DB, now: Date, touchedUpTo: number): Promise<ProfileInFlight[]> {
  const inFlight = () =>
    db
      .selectFrom('journey_runs as r')
      .leftJoin('cdp_people as p', 'p.id', 'r.person_id')
      .select(['r.person_id as id', 'p.id as person'])
      .distinct()
      .where('r.status', 'in', inFlightStatuses);
  // Two statements, not one `or`: each is a range of journey_runs_due (SQLite scanned the runs for the `or`).
  const rows = [
    ...(await inFlight().where('r.due_at', 'is', null).execute()),
    ...(await inFlight().where('r.due_at', '<=', now.toISOString()).execute()),
    ...(await inFlight()
      .where('r.person_id', 'in', (eb) =>
        eb.selectFrom('journey_touches').select('profile_id').where('id', '<=', touchedUpTo),
      )
      .execute()),
  ];
  const out = new Map<string, ProfileInFlight>();
  for (const r of rows) out.set(r.id, { id: r.id, person: r.person !== null });
  return [...out.values()];
}

/**
 * Records that these profiles' stored events changed without a new event of theirs (a server copy replacing a
 * browser copy, a merge, an anonymous id re-linked away): their runs in flight may move, so the next pass looks.
 * Called in the transaction that changes them.
 */
export async function touchProfiles(db: DB, profileIds: readonly (string | null)[]): Promise<void> {
  const ids = [...new Set(profileIds.filter((id): id is string => !!id))];
  if (ids.length)
    await db
      .insertInto('journey_touches')
      .values(ids.map((profile_id) => ({ profile_id })))
      .execute();
}

/** The latest touch id; read with the event writers locked out, so every touch up to it is committed. */
export async function lastTouch(db: DB): Promise<number> {
  const row = await db
    .selectFrom('journey_touches')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** The touches a pass has read and acted on (later ones wait for the next pass). */
export async function clearTouches(db: DB, upTo: number): Promise<void> {
  await db.deleteFrom('journey_touches').where('id', '<=', upTo).execute();
}
