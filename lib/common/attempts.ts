import 'server-only';
import type { DB } from '@/lib/db';
import { MINUTE } from './duration';

/**
 * Counters behind every rate limit (shop login, signup and email capture probes, the ops console's sign-in): rows
 * of `login_attempts` under namespaced keys, counted in one sliding window. Callers decide what counts as an
 * attempt (usually a failure) and which keys an attempt is recorded under.
 */
export const ATTEMPT_WINDOW_MS = 15 * MINUTE;

/** At most `max` attempts recorded under `key` inside the window. */
export type AttemptLimit = { key: string; max: number };
export type Allowance = { allowed: true } | { allowed: false; retryInMinutes: number };

/** Refused when any limit is reached; says when the last of them frees up (its oldest counted attempt ages out). */
export async function checkAttempts(db: DB, limits: readonly AttemptLimit[], now = new Date()): Promise<Allowance> {
  const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS).toISOString();
  let freeAt = 0;
  for (const { key, max } of limits) {
    const recent = await db
      .selectFrom('login_attempts')
      .select('attempted_at')
      .where('key', '=', key)
      .where('attempted_at', '>', since)
      .orderBy('attempted_at', 'desc')
      .limit(max)
      .execute();
    // The attempt that must age out before one more is allowed is the oldest of the newest `max`.
    if (recent.length >= max) freeAt = Math.max(freeAt, Date.parse(recent[recent.length - 1]!.attempted_at));
  }
  if (!freeAt) return { allowed: true };
  return {
    allowed: false,
    retryInMinutes: Math.max(1, Math.ceil((freeAt + ATTEMPT_WINDOW_MS - now.getTime()) / MINUTE)),
  };
}

export async function recordAttempt(db: DB, keys: readonly string[], now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db
    .insertInto('login_attempts')
    .values(keys.map((key) => ({ key, attempted_at: at })))
    .execute();
  // Keep the table small: rows older than the window can never matter again.
  const expired = new Date(now.getTime() - ATTEMPT_WINDOW_MS).toISOString();
  await db.deleteFrom('login_attempts').where('attempted_at', '<=', expired).execute();
}

export async function clearAttempts(db: DB, keys: readonly string[]): Promise<void> {
  if (keys.length) await db.deleteFrom('login_attempts').where('key', 'in', keys).execute();
}

/** The sentence a refused person reads. */
export const tryAgainIn = (minutes: number) => `Try again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.`;
