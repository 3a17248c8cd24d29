import 'server-only';
import type { DB } from '@/lib/db';
import { chunks } from '@/lib/db/chunks';
import type { EngineEvent, Profile } from '@/lib/cdp/model/event';
import { isMessageType } from '@/lib/cdp/model/message';
import { IDENTITY_CONFLICT_TEXT } from '@/lib/cdp/model/quality';
import { isServerConfirmed, readJson, type StoredEvent } from '@/lib/cdp/model/stored-event';

/**
 * Builds the engines' plain `Profile`s from the events table: people with their stitched events, and
 * anonymous profiles (an anonymous id never identified) so a journey can count an entry it cannot send.
 */

// Ids are read in slices (lib/db/chunks.ts); re-exported for the pipeline's stores.
export { chunks };

/**
 * The columns toEngineEvent reads (plus the profile keys): a bulk load selects only these, since the driver
 * builds every row object field by field (all 26 columns made a 5,000-row load ~15 times slower).
 */
export const ENGINE_EVENT_COLUMNS = [
  'seq',
  'type',
  'name',
  'timestamp',
  'attached_at',
  'stitched',
  'trusted',
  'merged_from',
  'identity_check',
  'properties',
  'traits',
  'person_id',
  'anonymous_id',
  'user_id',
  'violations',
] as const satisfies readonly (keyof StoredEvent)[];
export type EngineEventRow = Pick<StoredEvent, (typeof ENGINE_EVENT_COLUMNS)[number]>;

export function toEngineEvent(row: EngineEventRow): EngineEvent | null {
  // An identity call held back at ingest is a record of an attempt, not a fact: its traits (an email) never count.
  if (!isMessageType(row.type) || row.identity_check === 'unverified') return null;
  const identify = row.type === 'identify';
  return {
    seq: row.seq,
    type: row.type,
    // The name as sent (store/track-name.ts): a drifted `add_to_cart` triggers no Added to Cart journey, as on
    // Customer.io; the data-quality report shows it as drift.
    name: identify ? null : row.name,
    timestamp: new Date(row.timestamp),
    attachedAt: row.attached_at ? new Date(row.attached_at) : null,
    stitched: row.stitched === 1,
    serverConfirmed: isServerConfirmed(row),
    inherited: row.merged_from !== null,
    properties: identify ? appliedTraits(row) : readJson(row.properties, {}),
  };
}

/**
 * The traits an identify applied (lib/cdp/README.md, identity rule 6 and "Anonymous traits"). One refused because
 * its email belongs to another customer (an `identity_conflict` on an identify with a userId) applied none, like
 * Customer.io's "Failed Attribute Change"; an anonymous identify whose email stayed with its holder applied the
 * others. The engines rebuild traits and the address to write to from identifies: reading the refused ones sent the
 * second customer's messages to the first one's address (segment-sql.ts `hasAttribute` reads them alike).
 */
function appliedTraits(row: EngineEventRow): Record<string, unknown> {
  const traits = readJson<Record<string, unknown>>(row.traits, {});
  if (!row.violations.includes(IDENTITY_CONFLICT_TEXT)) return traits;
  if (row.user_id !== null) return {};
  delete traits.email;
  return traits;
}

const engineEvents = (rows: StoredEvent[]) => rows.flatMap((r) => toEngineEvent(r) ?? []);

/** Rows grouped by a key in one scan, keeping their order (Map.groupBy needs Node 21). */
function groupRows(rows: StoredEvent[], key: (r: StoredEvent) => string | null): Map<string, StoredEvent[]> {
  const groups = new Map<string, StoredEvent[]>();
  for (const r of rows) {
    const k = key(r);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/** People by id, each with all their events (stitched included); unknown ids are skipped. */
export async function loadPersonProfiles(db: DB, personIds: readonly string[]): Promise<Profile[]> {
  const profiles: Profile[] = [];
  for (const ids of chunks([...new Set(personIds)])) {
    const [people, rows] = await Promise.all([
      db.selectFrom('cdp_people').select(['id', 'email', 'traits']).where('id', 'in', ids).execute(),
      db.selectFrom('cdp_events').selectAll().where('person_id', 'in', ids).orderBy('seq').execute(),
    ]);
    const byPerson = groupRows(rows, (r) => r.person_id);
    for (const p of people) {
      profiles.push({
        profileId: p.id,
        email: p.email,
        traits: readJson(p.traits, {}),
        events: engineEvents(byPerson.get(p.id) ?? []),
      });
    }
  }
  return profiles;
}

/** Every person, for segment membership (a demo-sized pipeline evaluates everyone on request). */
export async function loadAllPersonProfiles(db: DB): Promise<Profile[]> {
  const ids = await db.selectFrom('cdp_people').select('id').execute();
  return loadPersonProfiles(
    db,
    ids.map((r) => r.id),
  );
}

/** Anonymous profiles keyed by anonymous id: the events sent under it that no person owns. */
export async function loadAnonymousProfiles(db: DB, anonymousIds: readonly string[]): Promise<Profile[]> {
  const profiles: Profile[] = [];
  for (const ids of chunks([...new Set(anonymousIds)])) {
    const rows = await db
      .selectFrom('cdp_events')
      .selectAll()
      .where('anonymous_id', 'in', ids)
      .where('person_id', 'is', null)
      .orderBy('seq')
      .execute();
    const byAnonymousId = groupRows(rows, (r) => r.anonymous_id);
    for (const id of ids) {
      const events = engineEvents(byAnonymousId.get(id) ?? []);
      if (events.length) profiles.push({ profileId: id, email: null, traits: {}, events });
    }
  }
  return profiles;
}
