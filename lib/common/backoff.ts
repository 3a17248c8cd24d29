import { DAY, HOUR, MINUTE, SECOND } from './duration';

const BASE_DELAY_MS = SECOND;
/** Longest pause between two attempts: an outage is noticed within ten minutes of its end. */
export const MAX_DELAY_MS = 10 * MINUTE;
/** A row keeps being retried this long after its first failure, then it is dead-lettered (never dropped). */
export const RETRY_WINDOW_MS = DAY;
/** A Retry-After further out than this is not believed blindly (a misconfigured proxy must not park rows for days). */
const MAX_RETRY_AFTER_MS = HOUR;

/**
 * Exponential backoff capped at 10 minutes, with "equal jitter": between half and all of 1 s, 2 s, 4 s … so rows
 * that failed together (a whole batch, every instance) do not come back in lockstep. `random` is injectable for tests.
 */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * `Retry-After` in ms from `nowMs`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3, which starts with the day's
 * name: Date.parse alone reads `1.5`, `-1` or `3.` as dates in 2001); null when absent, invalid, or not in the
 * future. `0` or a date past says "now", and taken as the delay an upstream answering it on every attempt was asked
 * again at once, dozens of times a second for the day of retries: the backoff applies instead.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  const value = header?.trim();
  if (!value) return null;
  const ms = /^\d+$/.test(value)
    ? Number(value) * SECOND
    : /^[a-z]{3}/i.test(value)
      ? Date.parse(value) - nowMs
      : Number.NaN;
  if (Number.isNaN(ms) || ms <= 0) return null;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/**
 * When to try a row again after a retryable failure, or null when its day of retries is over (dead letter).
 * A Retry-After the upstream sent wins over the backoff (it knows when it will be back).
 */
export function nextAttemptAt(
  row: { attempts: number; failing_since: number | null },
  nowMs: number,
  retryAfter: number | null,
  random?: () => number,
): number | null {
  const since = row.failing_since ?? nowMs;
  if (nowMs - since >= RETRY_WINDOW_MS) return null;
  return nowMs + (retryAfter ?? backoffMs(row.attempts + 1, random));
}
