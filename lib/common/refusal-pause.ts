import { MINUTE } from './duration';

/**
 * A sender whose destination refuses the request itself (the key, the address), so every call would be refused
 * alike: it pauses instead of failing its calls (no attempt counted, nothing dead-lettered), and once `until` is past
 * its next request is the one probe. Refused again, the pause grows; answered otherwise, sending goes on. Shared by
 * the forwarder to Customer.io (lib/cdp/forward/pause.ts) and the shop's outbox (lib/shop/server/outbox-pause.ts),
 * which each keep their own state and log lines.
 */
export type Refusal = {
  /** The destination's answer: 401, 403, a 3xx … */
  status: number;
  /** Its answer and what to check. */
  error: string;
  /** First refusal of this state, latest refusal, and the next probe (wall-clock ms). */
  since: number;
  at: number;
  until: number;
  refusals: number;
};

/** What a request refused as a whole was refused for (refusalKind). */
export type RefusalKind = 'redirect' | 'key' | 'proxy' | 'address';

/**
 * What an answer refuses when it refuses the request itself, whatever its calls, or null: a redirect (calls are never
 * sent on to another address), the key (401, 403; 402 a workspace that is not paid for), a proxy in between that
 * wants its own credentials (407), or the address (404, 405, 410: no API there; 421: the wrong host). Failing the
 * calls for them would dead-letter the whole backlog and every new call until the setting was fixed.
 */
export function refusalKind(status: number): RefusalKind | null {
  if (status >= 300 && status < 400) return 'redirect';
  if (status === 401 || status === 402 || status === 403) return 'key';
  if (status === 407) return 'proxy';
  return [404, 405, 410, 421].includes(status) ? 'address' : null;
}

/** A minute after the first refusal, doubling to every 15 minutes: a fixed setting is picked up soon enough. */
const FIRST_PROBE_MS = MINUTE;
const MAX_PROBE_MS = 15 * MINUTE;
export const refusalBackoffMs = (refusals: number) =>
  Math.min(FIRST_PROBE_MS * 2 ** Math.max(0, refusals - 1), MAX_PROBE_MS);

/**
 * The refusal after another one at `nowMs` with `status`, given the one in force (`previous`): the same status
 * counts on and waits longer; another status is a new state (`changed`: log it, once per state, not per probe).
 */
export function nextRefusal(
  previous: Refusal | null | undefined,
  nowMs: number,
  status: number,
  error: string,
): { refusal: Refusal; changed: boolean } {
  const same = previous?.status === status;
  const refusals = same ? previous.refusals + 1 : 1;
  const since = same ? previous.since : nowMs;
  return {
    refusal: { status, error, since, at: nowMs, until: nowMs + refusalBackoffMs(refusals), refusals },
    changed: !same,
  };
}
