import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb, type DB } from '@/lib/db';
import { secureCookies } from '@/lib/common/cookies';
import { maxAgeSeconds } from '@/lib/common/duration';
import { env } from '@/lib/env';
import { isOpsSession, isOpsToken, OPS_COOKIE, OPS_SESSION_TTL_MS, opsCookieValue, opsToken } from './console-access';

/**
 * How a request to the ops API is authenticated: `bearer` (`Authorization: Bearer <token>`, what scripts use),
 * `cookie` (the console's session, which needs the same-origin check on changes), or null.
 */
export async function opsAuthentication(db: DB, request: Request): Promise<'bearer' | 'cookie' | null> {
  const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return isOpsToken(bearer) ? 'bearer' : null;
  return (await isOpsSession(db, opsCookieValue(request))) ? 'cookie' : null;
}

/**
 * Console pages (server components) read the cookie through next/headers. Once per request: the layout and the
 * page share the answer (React's cache), so a page costs one session read here besides the proxy's.
 */
export const hasOpsSession = cache(async (): Promise<boolean> =>
  isOpsSession(await getDb(), (await cookies()).get(OPS_COOKIE)?.value),
);

/**
 * First line of every console page: visitors without a session get the sign-in form; the others get the
 * pipeline's database for the page's reads. Pages reach the data only through here, so none can forget the check.
 * proxy.ts has already sent such visitors to sign in with a real redirect (console-access.ts); this check stays
 * because the proxy does not see every request (its matcher skips requests with a body, a GET with a
 * Content-Length among them) and a page must not depend on a file elsewhere to keep its data private.
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
