'use client';

import { whenTracking } from '@/lib/tracking/browser';

/**
 * Runs the server action that mirrors an event just tracked, once this page may track (whenTracking): before consent
 * in opt-in mode, or after Decline, the server would store nothing. `ageMs` is how long ago the event was tracked,
 * for the server's copy to be dated then, as the browser's is (lib/shop/domain/fields.ts `mirrorFields`): a mirror
 * held until Accept or until the page read its settings was dated when it ran, after what the shopper did later.
 * `trackedAt`: the time given to `track` as `at`, if any. Counted when the action is called: Next.js sends the
 * page's server actions one after another, so one queued behind another is dated that much late.
 * Its failure is not the shopper's: the browser's copy of the event was sent anyway.
 */
export function mirrorOnServer(action: (ageMs: number) => Promise<unknown>, trackedAt = Date.now()): void {
  whenTracking(() => void action(Date.now() - trackedAt).catch(() => undefined));
}
