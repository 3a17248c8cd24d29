import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { normalizeEmailOrNull } from '@/lib/tracking/email';
import { readJson } from '@/lib/cdp/model/stored-event';
import { hasValue } from '@/lib/cdp/engine/subject';
import { chunks } from './profile-loader';

export type Traits = Record<string, unknown>;

const MAX_MERGE_HOPS = 20;

/** A userId of a person merged away resolves to the person it was merged into, so no profile comes back to life. */
export async function resolvePersonId(db: DB, userId: string): Promise<string> {
  let id = userId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const merge = await db
      .selectFrom('cdp_merges')
      .select('primary_id')
      .where('secondary_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!merge) return id;
    id = merge.primary_id;
  }
  return id;
}

export async function ensurePerson(db: DB, id: string, at: Date): Promise<void> {
  const iso = at.toISOString();
  await db
    .insertInto('cdp_people')
    .values({
      id,
      email: null,
      email_trusted: null,
      email_trusted_at: null,
      traits: '{}',
      first_seen_at: iso,
      last_seen_at: iso,
      created_at: iso,
      updated_at: iso,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/**
 * Merges traits into the person's (later wins) and keeps the lower-cased email column in step. `emailTrusted`:
 * the call was trusted (server key, or a signature covering its email), so an email it sets is also recorded as
 * `email_trusted`, the address messages may go to, and one it clears (null or "") clears that too: a claim
 * withdrawn later (identity/email-merge.ts) must not bring back an address the shop's server removed. Nothing
 * else ever writes that column but merges.
 */
export async function updateTraits(
  db: DB,
  id: string,
  traits: Traits,
  at: Date,
  { emailTrusted }: { emailTrusted: boolean },
): Promise<void> {
  const person = await db.selectFrom('cdp_people').select('traits').where('id', '=', id).executeTakeFirstOrThrow();
  const merged = { ...readJson<Traits>(person.traits, {}), ...traits };
  const iso = at.toISOString();
  const trustedEmail = emailTrusted ? normalizeEmailOrNull(traits.email) : null;
  const clearsEmail = emailTrusted && Object.hasOwn(traits, 'email') && !hasValue(traits.email);
  await db
    .updateTable('cdp_people')
    .set({
      traits: JSON.stringify(merged),
      email: normalizeEmailOrNull(merged.email),
      updated_at: iso,
      ...(trustedEmail ? { email_trusted: trustedEmail, email_trusted_at: iso } : {}),
      ...(clearsEmail ? { email_trusted: null, email_trusted_at: null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Attaches an event to a person. `stitched` marks an anonymous event joined to the person by the identity graph. */
export async function attachEvent(db: DB, seq: number, personId: string, stitched: boolean, at: Date): Promise<void> {
  await db
    .updateTable('cdp_events')
    .set({ person_id: personId, stitched: stitched ? 1 : 0, attached_at: at.toISOString() })
    .where('seq', '=', seq)
    .execute();
}

/** Undoes attachEvent, before the event is placed again (a server copy that names other ids). */
export async function detachEvent(db: DB, seq: number): Promise<void> {
  await db
    .updateTable('cdp_events')
    .set({ person_id: null, stitched: 0, attached_at: null })
    .where('seq', '=', seq)
    .execute();
}

/**
 * first/last seen follow the person's events (stitched ones included): recomputed from them after anything that can
 * take an event away (a merge, a relink, a server copy placed again), widened by a new one (SeenRefresh).
 */
export async function refreshSeen(db: DB, personId: string): Promise<void> {
  await refreshSeenOf(db, [personId]);
}

/** refreshSeen for many people: one statement per 500, each person's min/max read from its index. */
export async function refreshSeenOf(db: DB, personIds: readonly string[]): Promise<void> {
  for (const slice of chunks(personIds)) {
    await db
      .updateTable('cdp_people')
      .set({
        first_seen_at: sql`coalesce((select min(e.timestamp) from cdp_events e where e.person_id = cdp_people.id), first_seen_at)`,
        last_seen_at: sql`coalesce((select max(e.timestamp) from cdp_events e where e.person_id = cdp_people.id), last_seen_at)`,
      })
      .where('id', 'in', slice)
      .execute();
  }
}

/**
 * The people a request's calls joined, whose first/last seen are refreshed once each when its transaction ends. A
 * new event that only joined its person widens the stored range with its timestamp: no read of the person's events
 * (on PostgreSQL, a read of cdp_events that concurrent inserts conflict with). Every stored person has an event
 * (ensurePerson is followed by attaching one), and anything that can take an event away recomputes (`recompute`,
 * `settle`), so the range stays min/max over their events.
 */
export class SeenRefresh {
  private readonly recomputed = new Set<string>();
  private readonly widened = new Map<string, { first: string; last: string }>();

  /** A new event (its corrected timestamp) joined the person, and nothing left them. */
  widen(personId: string, timestamp: string): void {
    const range = this.widened.get(personId);
    if (!range) this.widened.set(personId, { first: timestamp, last: timestamp });
    else if (timestamp < range.first) range.first = timestamp;
    else if (timestamp > range.last) range.last = timestamp;
  }

  /** The person's events changed otherwise (identity calls: stitched, merged, moved away). */
  recompute(personId: string): void {
    this.recomputed.add(personId);
  }

  /** Events may have moved between people (an identity call, a server copy placed again): recompute all so far. */
  settle(): void {
    for (const id of this.widened.keys()) this.recomputed.add(id);
    this.widened.clear();
  }

  /** The person was deleted. */
  forget(personId: string): void {
    this.recomputed.delete(personId);
    this.widened.delete(personId);
  }

  async flush(db: DB): Promise<void> {
    await refreshSeenOf(db, [...this.recomputed]);
    const widened = [...this.widened].filter(([id]) => !this.recomputed.has(id)).sort(([a], [b]) => (a < b ? -1 : 1));
    // Sorted: concurrent requests lock shared people in one order. Each (id, first, last) is a VALUES row, whose
    // columns are column1… on both databases; a row the range already covers is not written.
    for (const slice of chunks(widened)) {
      const rows = sql.join(slice.map(([id, { first, last }]) => sql`(${id}, ${first}, ${last})`));
      await sql`update cdp_people set
        first_seen_at = case when v.column2 < first_seen_at then v.column2 else first_seen_at end,
        last_seen_at = case when v.column3 > last_seen_at then v.column3 else last_seen_at end
        from (values ${rows}) as v
        where cdp_people.id = v.column1 and (v.column2 < first_seen_at or v.column3 > last_seen_at)`.execute(db);
    }
  }
}
