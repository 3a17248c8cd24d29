import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { joinWithUnitSeparator } from '@/lib/db/dialect';
import { normalizeEmail } from '@/lib/tracking/email';
import { readJson } from '@/lib/cdp/model/stored-event';
import { afterKey, canMatchStoredText, decodeCursor, toPage, type KeyColumn, type PageRequest } from './page';

export type ListPeopleOptions = PageRequest & {
  /** Exact email (case-insensitive). */
  email?: string;
  /** Part of an email or id, for the console's search box. */
  q?: string;
};

const PEOPLE_ORDER: KeyColumn[] = [{ column: 'p.last_seen_at', desc: true }, { column: 'p.id' }];

/** People, most recently active first, a page at a time (`personSummary` in ops/contract.ts). */
export async function listPeople(db: DB, { email, q, cursor, limit = 50 }: ListPeopleOptions = {}) {
  const size = Math.min(Math.max(1, limit), 500);
  let query = db
    .selectFrom('cdp_people as p')
    .select(['p.id', 'p.email', 'p.first_seen_at', 'p.last_seen_at'])
    .select((eb) => [
      eb
        .selectFrom('cdp_events')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('cdp_events.person_id', '=', 'p.id')
        .as('event_count'),
      sql<string | null>`(select ${joinWithUnitSeparator(db, sql`anonymous_id`)} from cdp_identities
        where person_id = p.id)`.as('anonymous_ids'),
    ])
    .orderBy('p.last_seen_at', 'desc')
    .orderBy('p.id')
    .limit(size + 1);
  if (cursor) query = query.where(afterKey(PEOPLE_ORDER, decodeCursor(cursor, ['time', 'text'])));
  if (email) query = query.where('p.email', '=', normalizeEmail(email));
  if (q?.trim()) {
    const like = `%${normalizeEmail(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([sql<boolean>`p.email like ${like} escape '\\'`, sql<boolean>`lower(p.id) like ${like} escape '\\'`]),
    );
  }
  const rows = canMatchStoredText(email, q) ? await query.execute() : [];
  return toPage(
    rows,
    size,
    (r) => [r.last_seen_at, r.id],
    (r) => ({
      ...r,
      event_count: Number(r.event_count ?? 0),
      anonymous_ids: r.anonymous_ids ? r.anonymous_ids.split('\u001f').sort() : [],
    }),
  );
}

/**
 * A person with traits, identities and merges (`person` in ops/contract.ts); null when there is no such person
 * (or it was merged away).
 */
export async function getPerson(db: DB, id: string) {
  const person = await db.selectFrom('cdp_people').selectAll().where('id', '=', id).executeTakeFirst();
  if (!person) return null;
  const [identities, merges] = await Promise.all([
    db
      .selectFrom('cdp_identities')
      .select(['anonymous_id', 'linked_at'])
      .where('person_id', '=', id)
      .orderBy('linked_at')
      .execute(),
    mergeHistory(db, id),
  ]);
  return {
    ...person,
    traits: readJson<Record<string, unknown>>(person.traits, {}),
    anonymous_ids: identities.map((i) => i.anonymous_id),
    merged_from: merges.map((m) => m.secondary_id),
    identities,
    merges,
  };
}

/** Merges into this person and, transitively, into the people merged into it. */
async function mergeHistory(db: DB, id: string) {
  const result = await sql<{ secondary_id: string; merged_at: string; reason: string }>`
    with recursive chain(secondary_id, merged_at, reason) as (
      select secondary_id, merged_at, reason from cdp_merges where primary_id = ${id}
      union
      select m.secondary_id, m.merged_at, m.reason from cdp_merges m join chain c on m.primary_id = c.secondary_id
    )
    select secondary_id, merged_at, reason from chain order by merged_at`.execute(db);
  return result.rows;
}

/**
 * Rows of the journey tables (runs, outbox) that are this profile's: keyed by its id, by an anonymous id linked to
 * it, or by a person merged into it (directly or through earlier merges). A merge moves them at once and the next
 * journey pass moves the rest (rekeyRuns), but until that pass an identified profile's runs are still keyed by its
 * anonymous id, and a merge recorded before merges moved them left them on the merged id. For an anonymous id:
 * its own rows.
 */
export const ownedByProfile = (profileId: string) => sql<boolean>`(person_id = ${profileId}
  or person_id in (select anonymous_id from cdp_identities where person_id = ${profileId})
  or person_id in (with recursive chain(id) as (
    select secondary_id from cdp_merges where primary_id = ${profileId}
    union
    select m.secondary_id from cdp_merges m join chain c on m.primary_id = c.id
  ) select id from chain))`;
