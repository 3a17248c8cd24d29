import 'server-only';
import { sql, type Compilable, type CompiledQuery, type QueryResult } from 'kysely';
import type { DB } from '@/lib/db';
import { dialectOf } from '@/lib/db/dialect';
import { reusableQuery } from '@/lib/db/reusable-query';
import { runNow } from '@/lib/db/run-now';
import type { IngestMessage } from '@/lib/cdp/model/message';
import type { Violation } from '@/lib/cdp/model/quality';
import type { IdentityCheck, Source, StoredEvent } from '@/lib/cdp/model/stored-event';

/**
 * Customer.io's skew correction: a device whose clock is off stamps both `timestamp` and `sentAt` with the
 * same error, so `timestamp + (receivedAt − sentAt)` puts the event on the pipeline's clock.
 * Senders without `sentAt` (the node SDK) are trusted to be on wall time: with a manual clock they are
 * moved by the manual clock's offset from wall time (`wallReceivedAt`), so they share the pipeline's time.
 * An event cannot happen after it arrived: a result in the future (or one a wild `sentAt` pushed out of the
 * representable range) falls back to the receive time, as Segment-style collectors do.
 */
export function correctedTimestamp(message: IngestMessage, receivedAt: Date, wallReceivedAt = receivedAt): string {
  if (!message.timestamp) return isoOf(receivedAt);
  const ts = Date.parse(message.timestamp);
  // The SDKs stamp a call sent at once with the same time twice: then it happened when it was received.
  const sentAt = !message.sentAt
    ? wallReceivedAt.getTime()
    : message.sentAt === message.timestamp
      ? ts
      : Date.parse(message.sentAt);
  const received = receivedAt.getTime();
  const corrected = ts + (received - sentAt);
  return corrected >= received || corrected < EARLIEST ? isoOf(receivedAt) : new Date(corrected).toISOString();
}

let lastIso: { ms: number; iso: string } | undefined;

/** A request's receive time as text: written two or three times per call, spelled out once per request. */
function isoOf(date: Date): string {
  const ms = date.getTime();
  // An invalid date (NaN) never matches, and throws in toISOString as it did.
  if (lastIso?.ms !== ms) lastIso = { ms, iso: date.toISOString() };
  return lastIso.iso;
}

/** Year 1 — anything earlier is a broken clock, and would not sort as ISO text. */
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');

type StoreOptions = {
  receivedAt: Date;
  wallReceivedAt?: Date;
  source: Source;
  /** Sent with the server write key: the copy is server-confirmed. */
  trusted: boolean;
  identityCheck: IdentityCheck;
  canonicalName: string | null;
  violations: Violation[];
  /**
   * Where the event goes, when the caller already knows (identity/placement.ts): written with the row, so the
   * insert is the only statement. As attachEvent would set it; a repeat ignores it, like attachEvent never runs.
   */
  placement?: Placement | null;
  /**
   * The placed person's first/last seen are refreshed by the insert itself (PostgreSQL; ignored elsewhere), for a
   * caller that would otherwise refresh them for this event alone: one statement, not two (see insertQuery).
   */
  refreshSeen?: boolean;
};

/** The person a new event joins as it is stored; `stitched`: an anonymous event joined through its id. */
export type Placement = { personId: string; stitched: boolean };

/** The columns a call's content fills: what a server copy replaces in a browser copy stored before it. */
function contentOf(message: IngestMessage, opts: StoreOptions) {
  return {
    type: message.type,
    name: (message.type === 'track' ? message.event : message.name) ?? null,
    canonical_name: opts.canonicalName,
    anonymous_id: message.anonymousId ?? null,
    user_id: message.userId ?? null,
    previous_id: message.previousId ?? null,
    group_id: message.groupId ?? null,
    properties: JSON.stringify(message.properties),
    traits: JSON.stringify(message.traits),
    context: JSON.stringify(message.context),
    violations: JSON.stringify(opts.violations),
    trusted: opts.trusted ? 1 : 0,
    identity_check: opts.identityCheck,
  };
}

/** What a repeat changed: nothing but its count, or (a server copy over a browser one) the stored content. */
export type Repeat = { confirmed: null } | { confirmed: StoredEvent; before: StoredEvent };

/** The row a new call becomes, in the column order of the compiled insert below. */
function newRow(message: IngestMessage, opts: StoreOptions): Omit<StoredEvent, 'seq' | 'merged_from'> {
  return {
    message_id: message.messageId,
    ...contentOf(message, opts),
    person_id: opts.placement?.personId ?? null,
    timestamp: correctedTimestamp(message, opts.receivedAt, opts.wallReceivedAt),
    original_timestamp: message.timestamp ?? null,
    sent_at: message.sentAt ?? null,
    received_at: isoOf(opts.receivedAt),
    stitched: opts.placement?.stitched ? 1 : 0,
    attached_at: opts.placement ? isoOf(opts.receivedAt) : null,
    seen_by_client: opts.source === 'client' ? 1 : 0,
    seen_by_server: opts.source === 'server' ? 1 : 0,
    seen_count: 1,
  };
}

// The insert is the ingest's hottest statement: it is built and compiled once per database kind and then run with
// each call's values (lib/db/reusable-query.ts). Only `seq` is needed back: the rest of the stored row is what was
// sent. PostgreSQL returns it; on SQLite `seq` is the rowid, which the driver reports with the change count, and
// `returning` made the insert half again as expensive (issue 13). One statement per call on purpose: one multi-row
// `values (…), (…)` for a batch's calls costs SQLite more per row than this statement run again (wave 17: 50 browser
// calls in 0.58 ms one by one, 0.99 ms as one statement; 5 rows per statement was worse still; the server spent 4-16 %
// more CPU per /b event), and Kysely's own work per statement is a few percent of the ingest's CPU. The cost is the
// 12 indexes and the commit, as in the raw limit.
// On PostgreSQL a round trip costs more than the statement (lib/cdp/README.md, "On PostgreSQL"): with `refreshSeen`
// the person's first/last seen are widened by the new event in the same statement, as SeenRefresh would right after
// it (store/profiles.ts: no read of the person's other events, which conflicted with concurrent inserts).
function insertQuery(db: DB, row: ReturnType<typeof newRow>, withSeen: boolean): CompiledQuery<{ seq: number }> {
  return reusableQuery(db, withSeen ? 'cdp-events-insert-seen' : 'cdp-events-insert', Object.values(row), () => {
    const insert = db
      .insertInto('cdp_events')
      .values(row)
      .onConflict((oc) => oc.column('message_id').doNothing());
    if (!withSeen)
      return (dialectOf(db) === 'postgres' ? insert.returning('seq') : insert) as Compilable<{ seq: number }>;
    const stored = insert.returning(['seq', 'person_id', 'timestamp']);
    const query = sql<{ seq: number }>`with stored as (${stored}), seen as (update cdp_people set
      first_seen_at = least(cdp_people.first_seen_at, stored.timestamp),
      last_seen_at = greatest(cdp_people.last_seen_at, stored.timestamp)
      from stored where cdp_people.id = stored.person_id) select seq from stored`;
    return { compile: () => query.compile(db) };
  });
}

/**
 * Stores a call unless its messageId is already stored (earlier, by a concurrent request, or earlier in the same
 * batch); a repeat goes to recordRepeat. The unique messageId decides, in one statement, so two requests racing
 * with the same call cannot both store it. Returns the new row, or the repeat's outcome: at once (no promise) when a
 * SQLite transaction ran the insert on the spot (lib/db/run-now.ts) and it stored the call, as nearly every call is.
 */
export function storeEvent(db: DB, message: IngestMessage, opts: StoreOptions): StoreOutcome | Promise<StoreOutcome> {
  const row = newRow(message, opts);
  const seenRefreshed = !!opts.refreshSeen && row.person_id !== null && dialectOf(db) === 'postgres';
  const query = insertQuery(db, row, seenRefreshed);
  const stored = (result: QueryResult<{ seq: number }>): StoreOutcome | Promise<StoreOutcome> => {
    // A conflict (a repeat) inserts nothing: no row back on PostgreSQL, no change on SQLite.
    const seq = result.rows[0]?.seq ?? (result.numAffectedRows ? Number(result.insertId) : undefined);
    return seq === undefined
      ? recordRepeat(db, message, opts).then((repeat) => ({ repeat }))
      : // The row is this call's own: completed in place rather than copied (most callers never read it).
        { stored: Object.assign(row, { seq, merged_from: null }), seenRefreshed };
  };
  const now = runNow(db, query);
  return now ? stored(now) : db.executeQuery(query).then(stored);
}

/** `seenRefreshed`: the insert refreshed the placed person's first/last seen (StoreOptions.refreshSeen). */
export type StoreOutcome = { stored: StoredEvent; seenRefreshed: boolean } | { repeat: Repeat };

/**
 * A messageId seen again: the sighting and its sender are counted. The server's copy wins: when it follows a
 * browser copy, the stored content becomes the server's (re-priced from the catalogue, ids as the server knows
 * them) and the row is marked trusted; a browser copy never replaces anything (the event keeps when it happened).
 */
async function recordRepeat(db: DB, message: IngestMessage, opts: StoreOptions): Promise<Repeat> {
  const seenBy = opts.source === 'client' ? 'seen_by_client' : 'seen_by_server';
  const before = opts.trusted
    ? await db
        .selectFrom('cdp_events')
        .selectAll()
        .where('message_id', '=', message.messageId)
        .where('trusted', '=', 0)
        .executeTakeFirst()
    : undefined;
  const update = db
    .updateTable('cdp_events')
    .set((eb) => ({ seen_count: eb('seen_count', '+', 1), [seenBy]: 1, ...(before ? contentOf(message, opts) : {}) }))
    .where('message_id', '=', message.messageId);
  if (!before) {
    await update.execute();
    return { confirmed: null };
  }
  return { confirmed: await update.returningAll().executeTakeFirstOrThrow(), before };
}
