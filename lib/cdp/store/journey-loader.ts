import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import type { Profile } from '@/lib/cdp/model/event';
import { readJson } from '@/lib/cdp/model/stored-event';
import type { JourneyWindows } from '@/lib/cdp/engine/journeys/window';
import { indexedBy, jsonArrayElements, jsonTextField } from '@/lib/db/dialect';
import { chunks, ENGINE_EVENT_COLUMNS, toEngineEvent, type EngineEventRow } from './profile-loader';
import { trackName } from './track-name';

/**
 * Loads the profiles of one slice of a journey pass with only the events the journeys can still act on
 * (engine/journeys/window.ts): every identify, and the journey-relevant tracks from each profile's window start
 * on. A pass's work then follows the new events and the runs in flight, not the profiles' history.
 */

export type ProfileKind = 'person' | 'anonymous';

/** Bound on the journey-relevant tracks one profile is judged on per pass (README "Incremental passes"). */
export const MAX_TRACKS_PER_PROFILE = 1_000;

const keyColumn = (kind: ProfileKind) => sql.ref(kind === 'person' ? 'e.person_id' : 'e.anonymous_id');
const ownedBy = (kind: ProfileKind) => (kind === 'person' ? sql`true` : sql`e.person_id is null`);
const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
/** The per-profile partial indexes (migrations 0012, 0013), named for SQLite's planner (see indexedBy). */
const tracksOf = (db: DB, kind: ProfileKind) =>
  sql`cdp_events e ${indexedBy(db, kind === 'person' ? 'cdp_events_person_track' : 'cdp_events_anonymous_track')}`;
const identifiesOf = (db: DB, kind: ProfileKind) =>
  sql`cdp_events e ${indexedBy(db, kind === 'person' ? 'cdp_events_person_identify' : 'cdp_events_anonymous_identify')}`;
const columns = sql.join(ENGINE_EVENT_COLUMNS.map((c) => sql.ref(`e.${c}`)));
const trusted = sql`(e.identity_check is null or e.identity_check <> 'unverified')`;

export type EventStarts = { track?: string; identify?: string };
/** `receivedAfter`: the first new seq received after the pass's `now` (see scanNewEvents), or null. */
export type NewEvents = Record<ProfileKind, Map<string, EventStarts>> & { receivedAfter: number | null };

/** Rows per read of the new-events scan: a bounded hold on the event loop per read. */
const SCAN_ROWS = 2_000;

type ScanRow = {
  person_id: string | null;
  anonymous_id: string | null;
  track: string | null;
  identify: string | null;
  last: number | string;
  later: number | string | null;
};

/**
 * The events after the cursor (up to `top`), read in seq order a bounded chunk at a time with `pause()` between
 * chunks: which profiles changed, and per profile the earliest timestamp of its new tracks and identifies (where
 * its journey windows must start). Work proportional to the new events, whatever the profiles' history.
 * Each chunk is grouped by profile in SQL: one row per profile instead of one per event (a first pass reads
 * every event; building a JS row per event was most of the scan's CPU, and a 100k-event profile's scan held
 * the event loop in 2,000-row blocks). Anonymous ids that were ever linked to a person are left out: their late
 * events stay anonymous (identity rule 7) and start nothing; only never-identified profiles enter as themselves.
 * Also the first one received after `now`: the pass's `now` is read before it starts, and an event that arrived
 * meanwhile is not yet in the history at `now`, so the cursor must not pass it (journey-pass.ts).
 */
export async function scanNewEvents(
  db: DB,
  { cursor, top, now }: { cursor: number; top: number; now: Date },
  pause: () => Promise<void>,
): Promise<NewEvents> {
  const out: NewEvents = { person: new Map(), anonymous: new Map(), receivedAfter: null };
  const nowIso = now.toISOString();
  const earliest = (starts: EventStarts, type: keyof EventStarts, at: string | null) => {
    if (at !== null && !(starts[type]! <= at)) starts[type] = at;
  };
  for (let after = cursor; after < top;) {
    const { rows } = await sql<ScanRow>`
      select person_id, anonymous_id, max(seq) as last,
        min(case when type = 'track' then timestamp end) as track,
        min(case when type = 'identify' then timestamp end) as identify,
        min(case when received_at > ${nowIso} then seq end) as later
      from (select seq, type, person_id, anonymous_id, timestamp, received_at from cdp_events
        where seq > ${after} and seq <= ${top} order by seq limit ${SCAN_ROWS}) as chunk
      group by person_id, anonymous_id`.execute(db);
    if (!rows.length) break;
    for (const r of rows) {
      after = Math.max(after, Number(r.last));
      if (r.later !== null) out.receivedAfter = Math.min(out.receivedAfter ?? Infinity, Number(r.later));
      const [kind, id] =
        r.person_id !== null ? (['person', r.person_id] as const) : (['anonymous', r.anonymous_id] as const);
      if (id === null) continue;
      const starts = out[kind].get(id) ?? {};
      earliest(starts, 'track', r.track);
      earliest(starts, 'identify', r.identify);
      out[kind].set(id, starts);
    }
    await pause();
  }
  for (const ids of chunks([...out.anonymous.keys()])) {
    const linked = await db
      .selectFrom('cdp_identities')
      .select('anonymous_id')
      .where('anonymous_id', 'in', ids)
      .execute();
    for (const { anonymous_id } of linked) out.anonymous.delete(anonymous_id);
  }
  return out;
}

type Window = { id: string; from: string };
/**
 * The slice's (id, window start) pairs as a derived table `w(id, start_at)` joined on the (key, timestamp) index:
 * one index range per profile. Read from one JSON parameter (json_each, jsonb_array_elements): the statement's
 * text and its parameters are the same whatever the slice's size, so SQLite prepares it once per pass shape
 * instead of once per group size (a VALUES list of n rows is a new statement for every n).
 */
const windowTable = (db: DB, windows: readonly Window[]) => {
  const json = JSON.stringify(windows.map((w) => ({ id: w.id, from: w.from })));
  return sql`(select ${jsonTextField(db, sql`j.value`, 'id')} as id, ${jsonTextField(db, sql`j.value`, 'from')} as start_at
    from ${jsonArrayElements(db, sql`${json}`, 'j')}) as w`;
};

const relevantTracks = (db: DB, kind: ProfileKind, windows: readonly Window[], names: readonly string[]) => sql`
  from ${windowTable(db, windows)} cross join ${tracksOf(db, kind)}
  where ${keyColumn(kind)} = w.id and e.timestamp >= w.start_at and ${ownedBy(kind)} and e.type = 'track'
    and ${trackName('e')} in (${list(names)})`;

/**
 * How many relevant tracks each window holds, counted up to `MAX_TRACKS_PER_PROFILE + 1` (a bounded index range
 * per profile: a bot's 100k cart adds cost what 5,001 do). Over the cap, cappedStart finds where the window starts.
 */
export async function countWindows(
  db: DB,
  kind: ProfileKind,
  windows: readonly Window[],
  { names }: JourneyWindows,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ id: string; n: number | string }>`
    select w.id as id, (select count(*) from (
      select 1 from ${tracksOf(db, kind)}
      where ${keyColumn(kind)} = w.id and e.timestamp >= w.start_at and ${ownedBy(kind)} and e.type = 'track'
        and ${trackName('e')} in (${list(names)})
      limit ${MAX_TRACKS_PER_PROFILE + 1}) as capped) as n
    from ${windowTable(db, windows)}`.execute(db);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/**
 * The timestamp of a profile's `MAX_TRACKS_PER_PROFILE`-th latest relevant track: its capped window start. The
 * index is ordered by name, then time, so each name's latest tracks are read from its own range (at most the cap
 * each) and only those are sorted: bounded work, however long the profile's history.
 */
export async function cappedStart(db: DB, kind: ProfileKind, window: Window, { names }: JourneyWindows) {
  const latest = names.map(
    (name) => sql`select * from (select e.timestamp as at from ${tracksOf(db, kind)}
      where ${keyColumn(kind)} = ${window.id} and e.timestamp >= ${window.from} and ${ownedBy(kind)}
        and e.type = 'track' and ${trackName('e')} = ${name}
      order by e.timestamp desc limit ${MAX_TRACKS_PER_PROFILE}) as ${sql.id(`n${names.indexOf(name)}`)}`,
  );
  const { rows } = await sql<{ at: string }>`
    select at from (${sql.join(latest, sql` union all `)}) as latest
    order by at desc limit 1 offset ${MAX_TRACKS_PER_PROFILE - 1}`.execute(db);
  return rows[0]?.at ?? window.from;
}

type PersonRow = { id: string; email: string | null; traits: string };

/** The profiles of these windows: identifies in full, relevant tracks within each window (its start: `tracksFrom`). */
export async function loadWindowedProfiles(
  db: DB,
  kind: ProfileKind,
  windows: readonly Window[],
  { names }: JourneyWindows,
): Promise<Profile[]> {
  const [tracks, identifies, people] = await Promise.all([
    sql<EngineEventRow>`select ${columns} ${relevantTracks(db, kind, windows, names)}`.execute(db),
    sql<EngineEventRow>`select ${columns} from ${windowTable(db, windows)} cross join ${identifiesOf(db, kind)}
      where ${keyColumn(kind)} = w.id and ${ownedBy(kind)} and e.type = 'identify' and ${trusted}`.execute(db),
    kind === 'person'
      ? sql<PersonRow>`select p.id, p.email, p.traits from ${windowTable(db, windows)} cross join cdp_people p
          where p.id = w.id`.execute(db)
      : { rows: windows.map((w) => ({ id: w.id, email: null, traits: '{}' })) },
  ]);
  const events = new Map<string, Profile['events']>();
  for (const rows of [tracks.rows, identifies.rows])
    for (const row of rows) {
      const key = kind === 'person' ? row.person_id : row.anonymous_id;
      const event = key === null ? null : toEngineEvent(row);
      if (!event) continue;
      const own = events.get(key!);
      if (own) own.push(event);
      else events.set(key!, [event]);
    }
  const from = new Map(windows.map((w) => [w.id, new Date(w.from)]));
  return people.rows.flatMap((p) => {
    const own = events.get(p.id) ?? [];
    // An anonymous profile exists through its events; a person, also with none left in the window.
    if (kind === 'anonymous' && !own.length) return [];
    return [
      { profileId: p.id, email: p.email, traits: readJson(p.traits, {}), events: own, tracksFrom: from.get(p.id) },
    ];
  });
}
