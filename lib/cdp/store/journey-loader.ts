import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import type { Profile } from '@/lib/cdp/model/event';
import { readJson, type StoredEvent } from '@/lib/cdp/model/stored-event';
import type { JourneyWindows } from '@/lib/cdp/engine/journeys/window';
import { toEngineEvent } from './profile-loader';

/**
 * Loads the profiles of one slice of a journey pass with only the events the journeys can still act on
 * (engine/journeys/window.ts): every identify, and the journey-relevant tracks from each profile's window start
 * on. A pass's work then follows the new events and the runs in flight, not the profiles' history.
 */

export type ProfileKind = 'person' | 'anonymous';

/** Bound on the journey-relevant tracks one profile is judged on per pass (README "Incremental passes"). */
export const MAX_TRACKS_PER_PROFILE = 5_000;

const keyColumn = (kind: ProfileKind) => sql.ref(kind === 'person' ? 'e.person_id' : 'e.anonymous_id');
const ownedBy = (kind: ProfileKind) => (kind === 'person' ? sql`true` : sql`e.person_id is null`);
const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
/**
 * `coalesce(e.type, '')`, not `e.type`: compared bare, SQLite's planner (no ANALYZE statistics) walks the
 * (type, name) index, i.e. every track of everyone, instead of the profiles' (key, timestamp) ranges.
 */
const typeOf = sql`coalesce(e.type, '')`;
const trusted = sql`(e.identity_check is null or e.identity_check <> 'unverified')`;

/** Per profile of the slice: the earliest timestamp of its new (seq > cursor) tracks and identifies. */
export async function newEventStarts(
  db: DB,
  kind: ProfileKind,
  ids: readonly string[],
  cursor: number,
): Promise<Map<string, { track?: string; identify?: string }>> {
  const { rows } = await sql<{ id: string; type: string; at: string }>`
    select ${keyColumn(kind)} as id, e.type as type, min(e.timestamp) as at from cdp_events e
    -- \`+e.seq\` keeps SQLite on the profile index: a range on seq would scan every event after the cursor.
    where ${keyColumn(kind)} in (${list(ids)}) and ${ownedBy(kind)} and +e.seq > ${cursor}
      and ${typeOf} in ('track', 'identify')
    group by ${keyColumn(kind)}, e.type`.execute(db);
  const out = new Map<string, { track?: string; identify?: string }>();
  for (const r of rows) {
    const own = out.get(r.id) ?? {};
    own[r.type as 'track' | 'identify'] = r.at;
    out.set(r.id, own);
  }
  return out;
}

type Window = { id: string; from: string };
/**
 * The slice's (id, window start) pairs as a derived table joined on the (key, timestamp) index: one index range
 * per profile. VALUES columns are named column1, column2 in SQLite and PostgreSQL alike.
 */
const windowTable = (windows: readonly Window[]) =>
  sql`(values ${sql.join(windows.map((w) => sql`(${w.id}, ${w.from})`))})`;

const relevantTracks = (kind: ProfileKind, windows: readonly Window[], names: readonly string[]) => sql`
  from ${windowTable(windows)} as w cross join cdp_events e
  where ${keyColumn(kind)} = w.column1 and e.timestamp >= w.column2 and ${ownedBy(kind)} and ${typeOf} = 'track'
    and coalesce(e.canonical_name, e.name) in (${list(names)})`;

/** How many relevant tracks each window holds (index range scans; nothing is read into memory). */
export async function countWindows(
  db: DB,
  kind: ProfileKind,
  windows: readonly Window[],
  { names }: JourneyWindows,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ id: string; n: number | string }>`
    select ${keyColumn(kind)} as id, count(*) as n ${relevantTracks(kind, windows, names)} group by ${keyColumn(kind)}`.execute(
    db,
  );
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** The timestamp of a profile's `MAX_TRACKS_PER_PROFILE`-th latest relevant track: its capped window start. */
export async function cappedStart(db: DB, kind: ProfileKind, window: Window, { names }: JourneyWindows) {
  const { rows } = await sql<{ at: string }>`
    select e.timestamp as at ${relevantTracks(kind, [window], names)}
    order by e.timestamp desc limit 1 offset ${MAX_TRACKS_PER_PROFILE - 1}`.execute(db);
  return rows[0]?.at ?? window.from;
}

/** The profiles of these windows: identifies in full, relevant tracks within each window. */
export async function loadWindowedProfiles(
  db: DB,
  kind: ProfileKind,
  windows: readonly Window[],
  { names }: JourneyWindows,
): Promise<Profile[]> {
  const ids = windows.map((w) => w.id);
  const [tracks, identifies, people] = await Promise.all([
    sql<StoredEvent>`select e.* ${relevantTracks(kind, windows, names)}`.execute(db),
    sql<StoredEvent>`select e.* from cdp_events e
      where ${keyColumn(kind)} in (${list(ids)}) and ${ownedBy(kind)} and ${typeOf} = 'identify' and ${trusted}`.execute(
      db,
    ),
    kind === 'person'
      ? db.selectFrom('cdp_people').select(['id', 'email', 'traits']).where('id', 'in', ids).execute()
      : Promise.resolve(ids.map((id) => ({ id, email: null, traits: '{}' }))),
  ]);
  const events = new Map<string, Profile['events']>();
  for (const row of [...tracks.rows, ...identifies.rows]) {
    const key = kind === 'person' ? row.person_id : row.anonymous_id;
    const event = key === null ? null : toEngineEvent(row);
    if (!event) continue;
    const own = events.get(key!);
    if (own) own.push(event);
    else events.set(key!, [event]);
  }
  return people.flatMap((p) => {
    const own = events.get(p.id) ?? [];
    // An anonymous profile exists through its events; a person, also with none left in the window.
    if (kind === 'anonymous' && !own.length) return [];
    return [{ profileId: p.id, email: p.email, traits: readJson(p.traits, {}), events: own }];
  });
}
