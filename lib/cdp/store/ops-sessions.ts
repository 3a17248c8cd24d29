import 'server-only';
import crypto from 'node:crypto';
import type { DB } from '@/lib/db';

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
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
    })
    .execute();
  // Housekeeping on the write path: expired rows can never sign anyone in again.
  await db.deleteFrom('ops_sessions').where('expires_at', '<=', now.toISOString()).execute();
  return token;
}

export async function isLiveOpsSession(db: DB, token: string, opsToken: string, now = new Date()): Promise<boolean> {
  if (!SESSION_TOKEN.test(token)) return false;
  const row = await db
    .selectFrom('ops_sessions')
    .select('id')
    .where('id', '=', sessionId(token, opsToken))
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row !== undefined;
}

/** Sign-out: the token stops working at once, wherever a copy of the cookie is. */
export async function revokeOpsSession(db: DB, token: string, opsToken: string): Promise<void> {
  await db.deleteFrom('ops_sessions').where('id', '=', sessionId(token, opsToken)).execute();
}
