import 'server-only';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { env } from '@/lib/env';
import { errorAnswer, HttpError, type Answer } from '@/lib/common/http';
import { processState } from '@/lib/common/process-state';
import { addressBlock } from '@/lib/common/address-block';
import { MAX_EVENT_BYTES, MAX_REQUEST_BYTES } from './parse-request';

/**
 * Calls each client address may send to the ingest with the public (or no) write key: CDP_RATE_LIMIT per second,
 * counted over a 10-second window, so a page's flush of many calls at once passes. The pipeline has one writer
 * (SQLite) or a handful of connections (PostgreSQL); without a limit one stranger with the public key, or with
 * none (refused calls are stored too), could keep it busy and stall everyone else's events.
 *
 * The shop's own server (the server write key in Basic auth, as the node SDK sends it) is never limited. Counts live
 * in this instance's memory: behind N instances an address may send up to N times the limit, and a restart forgets.
 * An IPv6 client is counted by its /56 (addressBlock): counted per address, one stranger had a limit per address.
 */
export const RATE_WINDOW_SECONDS = 10;

/**
 * What a request refused whole after its body was read (over 500 KB, nested too deep, not JSON, not a batch …)
 * counts for: the calls of a full body at 32 KB each (16), not 1. Reading and parsing 500 KB costs about what
 * storing 16 calls does; counted as one, one address could send a thousand such bodies every 10 s.
 */
export const REFUSED_REQUEST_CALLS = Math.ceil(MAX_REQUEST_BYTES / MAX_EVENT_BYTES);

export type IngestRateLimit = {
  /**
   * Counts a request against `address` as one call, before its body is read: 0 when it may go on, else the
   * milliseconds until the window ends.
   */
  admitRequest(address: string): Promise<number>;
  /**
   * Counts the rest of the request's `calls` once the body is read: 0 when it may go on, else the milliseconds
   * until the window ends. A request over the limit is refused whole (concurrent requests all pass the first
   * check), unless nothing else was counted in the window: one batch larger than the limit still goes through.
   */
  admitCalls(address: string, calls: number): Promise<number>;
};

// On globalThis: the route handler (app bundle) and scripts/serve.mjs's ingest fast path (which calls the
// instrumentation bundle's handleIngest) have separate module instances, and must count one address together.
const state = processState<{ __cdpIngestRateLimit: { perSecond: number; limit: IngestRateLimit | null } }>({
  __cdpIngestRateLimit: null,
});

/** The limit as CDP_RATE_LIMIT sets it (one per process), or null when it is `off`. */
export function ingestRateLimit(): IngestRateLimit | null {
  const perSecond = env().CDP_RATE_LIMIT;
  if (state.__cdpIngestRateLimit?.perSecond !== perSecond)
    state.__cdpIngestRateLimit = { perSecond, limit: perSecond ? createRateLimit(perSecond) : null };
  return state.__cdpIngestRateLimit.limit;
}

export function createRateLimit(perSecond: number): IngestRateLimit {
  const points = perSecond * RATE_WINDOW_SECONDS;
  const counts = new RateLimiterMemory({ points, duration: RATE_WINDOW_SECONDS, keyPrefix: 'cdp-ingest' });
  const count = async (address: string, calls: number) => {
    const client = addressBlock(address);
    const state = await counts.penalty(client, calls);
    // Logged once per window and address: by the request that crossed the limit.
    if (state.consumedPoints > points && state.consumedPoints - calls <= points)
      console.warn(
        `[cdp] rate limit: ${client} sent over ${points} calls within ${RATE_WINDOW_SECONDS} s; ` +
          `answering 429 for ${Math.ceil(state.msBeforeNext / 1000)} s`,
      );
    return state;
  };
  return {
    async admitRequest(address) {
      const state = await count(address, 1);
      return state.consumedPoints > points ? Math.max(1, state.msBeforeNext) : 0;
    },
    async admitCalls(address, calls) {
      if (calls <= 1) return 0;
      const state = await count(address, calls - 1);
      const alone = state.consumedPoints === calls;
      return state.consumedPoints > points && !alone ? Math.max(1, state.msBeforeNext) : 0;
    },
  };
}

/** The 429 an address over its limit gets, with `Retry-After` in seconds (what HTTP clients and proxies honour). */
export function rateLimited(waitMs: number, perSecond: number, headers: Record<string, string>): Answer {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const error = new HttpError(
    429,
    `Too many calls from this address: at most ${perSecond * RATE_WINDOW_SECONDS} in ${RATE_WINDOW_SECONDS} s ` +
      `with the browser write key. Send again in ${seconds} s`,
  );
  return errorAnswer(error, { ...headers, 'Retry-After': String(seconds) });
}
