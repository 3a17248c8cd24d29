import 'server-only';
import crypto from 'node:crypto';
import type { DB } from '@/lib/db';
import { MINUTE } from '@/lib/common/duration';

/**
 * Console sessions (`ops_sessions`): one random token per sign-in, kept in an httpOnly cookie; the row holds only
 * an HMAC of it keyed by the ops token, so a copy of the database cannot be replayed as sessions, and rotating
 * OPS_TOKEN signs everyone out.
 */
const sessionId = (token: string, opsToken: string) =>
  crypto.createHmac('sha256', opsToken).update(token).digest('base64url');

// What createOpsSession mints: 32 random bytes in base64url. Any other cookie value is no session, without a read.
const SESSION_TOKEN = /^[\w-]{43}$/;

export async function createOpsSession(db: DB, opsToken: string, ttlMs: number, now = new Date()): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db
    .insertInto('ops_sessions')
    .values({
      id: sessionId(token, opsToken),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
    })
    .execute();
  // Housekeeping on the write path: expired rows can never sign anyone in again.
  await db.deleteFrom('ops_sessions').where('expires_at', '<=', now.toISOString()).execute();
  return token;
}

// Use is written at most this often: one write per minute of console use, not one per request.
const SEEN_EVERY_MS = MINUTE;

/**
 * Whether a cookie's token is a live session: signed in with this ops token, not expired, not signed out, and used
 * within `idleMs` (a session left unused that long is deleted: the console then asks to sign in again). A use
 * moves the idle deadline on.
 */
export async function isLiveOpsSession(
  db: DB,
  token: string,
  opsToken: string,
  { idleMs, now = new Date() }: { idleMs: number; now?: Date },
): Promise<boolean> {
  if (!SESSION_TOKEN.test(token)) return false;
  const id = sessionId(token, opsToken);
  const row = await db
    .selectFrom('ops_sessions')
    .select(['created_at', 'last_seen_at'])
    .where('id', '=', id)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) return false;
  const unused = now.getTime() - Date.parse(row.last_seen_at ?? row.created_at);
  if (unused >= idleMs) {
    await db.deleteFrom('ops_sessions').where('id', '=', id).execute();
    return false;
  }
  if (unused >= SEEN_EVERY_MS)
    await db.updateTable('ops_sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', id).execute();
  return true;
}

/** Sign-out: the token stops working at once, wherever a copy of the cookie is. */
export async function revokeOpsSession(db: DB, token: string, opsToken: string): Promise<void> {
  await db.deleteFrom('ops_sessions').where('id', '=', sessionId(token, opsToken)).execute();
}
