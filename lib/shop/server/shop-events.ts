import 'server-only';
import { after } from 'next/server';
import { getDb, type DB } from '@/lib/db';
import { isShutdownError } from '@/lib/common/background-work';
import { serverWriteKey } from '@/lib/common/secrets';
import { env } from '@/lib/env';
import { serverTrackingEndpoint } from '@/lib/tracking/config';
import { createServerTracker, type ServerTracker } from '@/lib/tracking/server';
import {
  deliverShopEvents,
  followUpHeld,
  pruneSentShopEvents,
  recordForSending,
  sendRecorded,
  type OutboxCall,
} from './event-outbox';
import { trackerSender, type OutboxDestination } from './tracker-sender';

/**
 * How the shop's server calls reach the pipeline: written to the shop's outbox (event-outbox.ts), sent after the
 * response through the service tracker, and retried by the minute job `shop-event-outbox`. What the calls say is
 * tracking.ts's.
 */
let service: ServerTracker | undefined;
let destination: OutboxDestination | undefined;

/**
 * For the calls the shop makes whatever the visitor chose about tracking: recording an unsubscription is the
 * person's own request, not tracking. No consent check and no session user; the ids are always explicit. The
 * server key too: an identify sent with the public browser key carries no signature and would be held back.
 */
export function serviceTracker(): ServerTracker {
  const e = env();
  const endpoint = serverTrackingEndpoint(e.appUrl);
  destination ??= { url: `${endpoint.host}${endpoint.path}`, writeKey: serverWriteKey() };
  service ??= createServerTracker({ writeKey: destination.writeKey, ...endpoint, strict: e.trackingStrict });
  return service;
}

/**
 * Sends through the service tracker: ids explicit, no request read, no consent asked again (event-outbox.ts); a
 * refused key or address pauses the outbox (tracker-sender.ts).
 */
const outboxSender = () => {
  const tracker = serviceTracker();
  return trackerSender(tracker, destination);
};

/** A pass over the shop's outbox (event-outbox.ts). */
export const sendShopEvents = (db: DB) => deliverShopEvents(db, outboxSender());

/**
 * The server's calls of this request (those decided not to be sent left out), written to the shop's outbox, then
 * sent in order without the request waiting for the pipeline (a slow or hung pipeline must not hold up a cart or a
 * signup; the node SDK alone took the call without waiting before the outbox). What the pipeline does not take now,
 * the minute job `shop-event-outbox` retries. Should the outbox itself fail (its database), they are sent once
 * without it rather than not at all. True when they are recorded or, without the outbox, delivered. `before`: calls
 * already queued (by messageId) that these go ahead of, sent with them (recordForSending).
 */
export async function sendDurably(calls: readonly (OutboxCall | null)[], before?: string[]): Promise<boolean> {
  const due = calls.filter((c) => c !== null);
  const send = outboxSender();
  const db = await getDb();
  let ids;
  try {
    ids = await recordForSending(db, due, Date.now(), before);
  } catch (error) {
    console.error('[shop] the outbox could not record server calls; they are sent once, without retries', error);
    let delivered = true;
    for (const call of due) delivered = (await send(call).catch(() => false)) === true && delivered;
    return delivered;
  }
  if (ids.length)
    inBackground(
      sendRecorded(db, send, ids, due)
        .then(() => followUpHeld(db, send))
        .catch(passFailed),
    );
  return true;
}

/** The minute job `shop-event-outbox` (instrumentation.ts): a pass, then delivered rows older than a week go. */
export async function shopEventOutboxJob(db: DB) {
  const pass = await sendShopEvents(db);
  return { ...pass, pruned: await pruneSentShopEvents(db) };
}

const passFailed = (error: unknown) => {
  // A stopping server left the calls in the outbox: the next start, or another instance, sends them.
  if (!isShutdownError(error)) console.error('[shop] outbox pass failed', error);
};

/**
 * After the response (an order's confirmation does not wait for the pipeline): send what the request just put in
 * the outbox. Whatever fails is retried by the scheduler's minute job `shop-event-outbox` (instrumentation.ts).
 */
export function sendShopEventsAfterResponse(db: DB): void {
  after(() =>
    sendShopEvents(db)
      .then(() => followUpHeld(db, outboxSender()))
      .catch(passFailed),
  );
}

/**
 * Work started now that the response does not wait for, kept alive past it where the platform would end the request
 * (`after`); outside a request (scripts, tests) it simply runs on.
 */
function inBackground(work: Promise<unknown>): void {
  try {
    after(work);
  } catch {
    // No request scope: nothing to keep alive.
  }
}

/** A pass started now, not awaited (a replay from the console: its answer does not wait for the pipeline). */
export function kickShopEvents(db: DB): void {
  inBackground(sendShopEvents(db).catch(passFailed));
}
