import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb, type DB } from '@/lib/db';
import { secureCookies } from '@/lib/common/cookies';
import { DAY, maxAgeSeconds } from '@/lib/common/duration';
import { env } from '@/lib/env';
import { persistentSecret, safeEqual } from '@/lib/common/secrets';
import { decodeParam } from '@/lib/common/http';
import { isLiveOpsSession } from '@/lib/cdp/store/ops-sessions';

/** The console's session cookie: a random token per sign-in (store/ops-sessions.ts), never the ops token. */
export const OPS_COOKIE = 'glowlab_ops';
export const OPS_SESSION_TTL_MS = 7 * DAY;

/** OPS_TOKEN, or a token generated once into data/ (printed at start-up). */
export const opsToken = () => persistentSecret('ops-token', env().OPS_TOKEN);

export const isOpsToken = (token: string | null | undefined): boolean => !!token && safeEqual(token, opsToken());

const isOpsSession = async (db: DB, value: string | undefined): Promise<boolean> =>
  !!value && isLiveOpsSession(db, value, opsToken());

/** The console cookie's value in a request, or undefined. */
export function opsCookieValue(request: Request): string | undefined {
  const cookie = request.headers
    .get('cookie')
    ?.split(';')
    .map((c) => c.trim().split('='))
    .find(([name]) => name === OPS_COOKIE)?.[1];
  // A malformed escape (`%ZZ`) must read as "not signed in" (401), not throw a URIError (500).
  return cookie ? decodeParam(cookie) : undefined;
}

/**
 * How a request to the ops API is authenticated: `bearer` (`Authorization: Bearer <token>`, what scripts use),
 * `cookie` (the console's session, which needs the same-origin check on changes), or null.
 */
export async function opsAuthentication(db: DB, request: Request): Promise<'bearer' | 'cookie' | null> {
  const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return isOpsToken(bearer) ? 'bearer' : null;
  return (await isOpsSession(db, opsCookieValue(request))) ? 'cookie' : null;
}

/** Console pages (server components) read the cookie through next/headers. */
export async function hasOpsSession(): Promise<boolean> {
  return isOpsSession(await getDb(), (await cookies()).get(OPS_COOKIE)?.value);
}

/**
 * First line of every console page: visitors without a session get the sign-in form; the others get the
 * pipeline's database for the page's reads. Pages reach the data only through here, so none can forget the check.
 */
export async function openConsole(): Promise<DB> {
  if (!(await hasOpsSession())) redirect('/ops/login');
  return getDb();
}

/** Printed once at start-up: where the console is, with the generated token (one from OPS_TOKEN stays out of logs). */
export function announceOpsConsole(): void {
  const e = env();
  console.log(
    e.OPS_TOKEN
      ? `Ops console: ${e.appUrl}/ops (sign in with OPS_TOKEN)`
      : `Ops console: ${e.appUrl}/ops?token=${opsToken()}`,
  );
}

export const opsCookieOptions = (request: Request) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: secureCookies(request),
  path: '/',
  maxAge: maxAgeSeconds(OPS_SESSION_TTL_MS),
});
