import { DAY, MINUTE } from '@/lib/common/duration';

/** How far back an identify stitches the anonymous id's events (measured on received_at, the pipeline clock). */
export const STITCH_LOOKBACK_MS = 30 * DAY;
/** Anonymous events of a linked id arriving this long after the identify are still stitched. */
export const LATE_EVENT_WINDOW_MS = 5 * MINUTE;
/** Anonymous ids never identified, with no activity for this long, are purged. */
export const ANONYMOUS_RETENTION_MS = 30 * DAY;
