import { DAY, MINUTE, parseDuration } from '@/lib/common/duration';
import type { EngineEvent } from './event';

/** How far back an identify stitches the anonymous id's events (measured on received_at, the pipeline clock). */
export const STITCH_LOOKBACK_MS = 30 * DAY;
/** Anonymous events of a linked id arriving this long after the identify are still stitched. */
export const LATE_EVENT_WINDOW_MS = 5 * MINUTE;
/** Anonymous events no person took in are purged this long after they were received (each by its own age). */
export const ANONYMOUS_RETENTION_MS = 30 * DAY;
/**
 * Refused calls (cdp_rejections) are kept this long for the data-quality view, then purged: anyone holding the
 * public browser key, or no key at all, can post refused calls, so without a horizon the table grows for ever.
 */
export const REJECTION_RETENTION_MS = 30 * DAY;

/**
 * Customer.io's rule: an event triggers event-triggered campaigns only when it reaches the person within 72 h of
 * its timestamp. A backfilled one ("A backdated event WILL NOT trigger event-triggered campaigns if the event's
 * timestamp is older than 3 days (72 hours)", docs.customer.io/journeys/importing-old-data) and an anonymous one
 * merged into a person later than that ("anonymous events", docs.customer.io/journeys/anonymous-events) start
 * none. Exactly 72 h still triggers.
 */
export const TRIGGER_MAX_AGE = '72h';

/**
 * Measured at `attachedAt`, when the event became the person's: the identify for a stitched event, the receive
 * time for one sent with a userId. Not at the pass's `now`: an event that arrived in time triggers however late a
 * pass runs. (An anonymous profile's events have no `attachedAt`: they message nobody until they are stitched.)
 */
export function tooOldToTrigger(e: EngineEvent): boolean {
  if (!e.attachedAt) return false;
  return e.attachedAt.getTime() - e.timestamp.getTime() > parseDuration(TRIGGER_MAX_AGE);
}
