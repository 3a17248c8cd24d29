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
 * Customer.io's rule: an event that was anonymous and is attached to a person more than 72 h after it happened
 * does not trigger event-triggered campaigns. Exactly 72 h still triggers.
 */
export const STITCHED_TRIGGER_MAX_AGE = '72h';

export function tooOldWhenStitched(e: EngineEvent): boolean {
  if (!e.stitched || !e.attachedAt) return false;
  return e.attachedAt.getTime() - e.timestamp.getTime() > parseDuration(STITCHED_TRIGGER_MAX_AGE);
}
