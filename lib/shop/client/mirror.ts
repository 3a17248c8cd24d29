'use client';

import { whenTracking } from '@/lib/tracking/browser';

/**
 * Runs the server action that mirrors an event just tracked, once this page may track (whenTracking): before consent
 * in opt-in mode, or after Decline, the server would store nothing. Its failure is not the shopper's: the browser's
 * copy of the event was sent anyway.
 */
export function mirrorOnServer(action: () => Promise<unknown>): void {
  whenTracking(() => void action().catch(() => undefined));
}
