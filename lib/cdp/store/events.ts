import 'server-only';
import type { DB } from '@/lib/db';
import type { IngestMessage } from '@/lib/cdp/model/message';
import type { Violation } from '@/lib/cdp/model/quality';
import type { Source, StoredEvent } from '@/lib/cdp/model/stored-event';

/**
 * Customer.io's skew correction: a device whose clock is off stamps both `timestamp` and `sentAt` with the
 * same error, so `timestamp + (receivedAt − sentAt)` puts the event on the pipeline's clock.
 * Senders without `sentAt` (the node SDK) are trusted to be on wall time: with a manual clock they are
 * moved by the manual clock's offset from wall time (`wallReceivedAt`), so they share the pipeline's time.
 * An event cannot happen after it arrived: a result in the future (or one a wild `sentAt` pushed out of the
 * representable range) falls back to the receive time, as Segment-style collectors do.
 */
export function correctedTimestamp(message: IngestMessage, receivedAt: Date, wallReceivedAt = receivedAt): string {
  if (!message.timestamp) return receivedAt.toISOString();
  const ts = Date.parse(message.timestamp);
  const sentAt = message.sentAt ? Date.parse(message.sentAt) : wallReceivedAt.getTime();
  const corrected = ts + (receivedAt.getTime() - sentAt);
  return corrected > receivedAt.getTime() || corrected < EARLIEST
    ? receivedAt.toISOString()
    : new Date(corrected).toISOString();
}

/** Year 1 — anything earlier is a broken clock, and would not sort as ISO text. */
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');

type StoreOptions = {
  receivedAt: Date;
  wallReceivedAt?: Date;
  source: Source;
  canonicalName: string | null;
  violations: Violation[];
};

/**
 * The batch's messageIds that are already stored: one query per batch rather than one per call (a request of at
 * most 500 KB holds far fewer calls than SQLite's 32 766 bound parameters).
 */
export async function storedMessageIds(db: DB, messages: readonly IngestMessage[]): Promise<Set<string>> {
  if (!messages.length) return new Set();
  const ids = [...new Set(messages.map((m) => m.messageId))];
  const rows = await db.selectFrom('cdp_events').select('message_id').where('message_id', 'in', ids).execute();
  return new Set(rows.map((r) => r.message_id));
}

/** The columns a call's content fills: what a later server copy replaces (see storeEvent). */
function content(message: IngestMessage, opts: StoreOptions) {
  return {
    type: message.type,
    name: (message.type === 'track' ? message.event : message.name) ?? null,
    canonical_name: opts.canonicalName,
    properties: JSON.stringify(message.properties),
    traits: JSON.stringify(message.traits),
    violations: JSON.stringify(opts.violations),
  };
}

/**
 * Stores a call unless its messageId is in `known` (see storedMessageIds); a repeat only counts the sighting
 * and who sent it. Adds a new messageId to `known`, so a repeat later in the same batch is caught too.
 * Returns the new row, or null for a duplicate.
 *
 * The server copy wins: when the shop's server mirrors an event the browser sent first, the server's content
 * (re-priced items, the restore link only it can mint) replaces the browser's, since anyone can post a browser
 * copy with any messageId. Identity columns and the time stay the first copy's; a browser copy arriving after
 * the server's only counts.
 */
export async function storeEvent(
  db: DB,
  message: IngestMessage,
  opts: StoreOptions,
  known: Set<string>,
): Promise<StoredEvent | null> {
  const seenBy = opts.source === 'client' ? 'seen_by_client' : 'seen_by_server';
  if (known.has(message.messageId)) {
    if (opts.source === 'server')
      await db
        .updateTable('cdp_events')
        .set(content(message, opts))
        .where('message_id', '=', message.messageId)
        .where('seen_by_server', '=', 0)
        .execute();
    await db
      .updateTable('cdp_events')
      .set((eb) => ({ seen_count: eb('seen_count', '+', 1), [seenBy]: 1 }))
      .where('message_id', '=', message.messageId)
      .execute();
    return null;
  }
  known.add(message.messageId);
  return db
    .insertInto('cdp_events')
    .values({
      message_id: message.messageId,
      ...content(message, opts),
      anonymous_id: message.anonymousId ?? null,
      user_id: message.userId ?? null,
      previous_id: message.previousId ?? null,
      group_id: message.groupId ?? null,
      person_id: null,
      timestamp: correctedTimestamp(message, opts.receivedAt, opts.wallReceivedAt),
      original_timestamp: message.timestamp ?? null,
      sent_at: message.sentAt ?? null,
      received_at: opts.receivedAt.toISOString(),
      stitched: 0,
      attached_at: null,
      seen_by_client: opts.source === 'client' ? 1 : 0,
      seen_by_server: opts.source === 'server' ? 1 : 0,
      seen_count: 1,
      context: JSON.stringify(message.context),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
