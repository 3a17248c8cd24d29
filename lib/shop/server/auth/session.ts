import 'server-only';
import crypto from 'node:crypto';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { secureCookies } from '@/lib/common/cookies';
import { DAY } from '@/lib/common/duration';
import { getDb, type DB } from '@/lib/db';
import { getCustomer, type Customer } from '../customers';

/** The httpOnly session cookie (see createSession for what it holds). */
export const SESSION_COOKIE = 'glowlab_session';
export const SESSION_TTL_MS = 30 * DAY;

// The cookie holds a random token; the database keeps only its hash, so a leaked copy of the data
// cannot be turned back into working sessions.
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');

export async function createSession(db: DB, customerId: string, now = new Date()) {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      customer_id: customerId,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  // Housekeeping on the write path: expired rows can never authenticate again.
  await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
  return { token, expiresAt };
}

/** The customer id behind a token, or undefined when it is unknown or expired. */
export async function findSessionCustomerId(db: DB, token: string, now = new Date()): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('customer_id')
    .where('id', '=', hashToken(token))
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row?.customer_id;
}

export async function deleteSession(db: DB, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}

/** Starts a fresh session for the customer and sets the cookie (server actions only). */
export async function startSession(customerId: string): Promise<void> {
  const db = await getDb();
  const jar = await cookies();
  // A new token on every sign-in; the one it replaces stops working rather than lingering for 30 days.
  const previous = jar.get(SESSION_COOKIE)?.value;
  if (previous) await deleteSession(db, previous);
  const { token, expiresAt } = await createSession(db, customerId);
  jar.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies({ headers: await headers() }),
    path: '/',
    expires: expiresAt,
  });
}

/** Deletes the session row and the cookie (server actions only). */
export async function endSession(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(await getDb(), token);
  jar.delete(SESSION_COOKIE);
}

/** The signed-in customer's id for this request, memoised per render. */
export const getSession = cache(async (): Promise<{ customerId: string } | undefined> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return undefined;
  const customerId = await findSessionCustomerId(await getDb(), token);
  return customerId ? { customerId } : undefined;
});

export const currentCustomer = cache(async (): Promise<Customer | undefined> => {
  const session = await getSession();
  return session && getCustomer(await getDb(), session.customerId);
});
