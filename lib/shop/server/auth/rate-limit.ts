import 'server-only';
import type { DB } from '@/lib/db';
import { MINUTE } from '@/lib/common/duration';

/** Failed logins allowed per email + IP inside the window before further attempts are refused. */
export const MAX_FAILED_LOGINS = 5;
export const LOGIN_WINDOW_MS = 15 * MINUTE;

export const loginAttemptKey = (email: string, ip: string) => `${email}|${ip}`;

export type LoginAllowance = { allowed: true } | { allowed: false; retryInMinutes: number };

/** Refuses once MAX_FAILED_LOGINS failures sit inside the window; says when the oldest one ages out. */
export async function checkLoginAllowed(db: DB, key: string, now = new Date()): Promise<LoginAllowance> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
  const recent = await db
    .selectFrom('login_attempts')
    .select('attempted_at')
    .where('key', '=', key)
    .where('attempted_at', '>', since)
    .orderBy('attempted_at', 'desc')
    .limit(MAX_FAILED_LOGINS)
    .execute();
  if (recent.length < MAX_FAILED_LOGINS) return { allowed: true };
  // The attempt that must age out before one more is allowed is the oldest of the newest MAX.
  const oldest = new Date(recent[recent.length - 1]!.attempted_at).getTime();
  const retryInMinutes = Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - now.getTime()) / MINUTE));
  return { allowed: false, retryInMinutes };
}

export async function recordFailedLogin(db: DB, key: string, now = new Date()): Promise<void> {
  await db.insertInto('login_attempts').values({ key, attempted_at: now.toISOString() }).execute();
  // Keep the table small: rows older than the window can never matter again.
  const expired = new Date(now.getTime() - LOGIN_WINDOW_MS).toISOString();
  await db.deleteFrom('login_attempts').where('attempted_at', '<=', expired).execute();
}

export async function clearFailedLogins(db: DB, key: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', '=', key).execute();
}
