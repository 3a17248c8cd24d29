import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb, type DB } from '@/lib/db';
import { secureCookies } from '@/lib/common/cookies';
import { DAY, maxAgeSeconds } from '@/lib/common/duration';
import { env } from '@/lib/env';
import { persistentSecret, safeEqual, sign, verifySignature } from '@/lib/common/secrets';
import { decodeParam } from '@/lib/common/http';

/** The console's session cookie: it holds a signature of the token, never the token itself. */
export const OPS_COOKIE = 'glowlab_ops';
export const OPS_COOKIE_MAX_AGE = maxAgeSeconds(7 * DAY);

/** OPS_TOKEN, or a token generated once into data/ (printed at start-up). */
export const opsToken = () => persistentSecret('ops-token', env().OPS_TOKEN);

export const isOpsToken = (token: string | null | undefined): boolean => !!token && safeEqual(token, opsToken());

// Bound to the current token: rotating OPS_TOKEN signs everyone out.
const sessionSubject = () => `ops-session:${opsToken()}`;
export const opsSessionValue = () => sign(sessionSubject());
const isOpsSession = (value: string | undefined): boolean => !!value && verifySignature(sessionSubject(), value);

/** API access: `Authorization: Bearer <token>` or the console's cookie. */
export function isOpsRequest(request: Request): boolean {
  const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return isOpsToken(bearer);
  const cookie = request.headers
    .get('cookie')
    ?.split(';')
    .map((c) => c.trim().split('='))
    .find(([name]) => name === OPS_COOKIE)?.[1];
  // A malformed escape (`%ZZ`) must read as "not signed in" (401), not throw a URIError (500).
  return isOpsSession(cookie ? decodeParam(cookie) : undefined);
}

/** Console pages (server components) read the cookie through next/headers. */
export async function hasOpsSession(): Promise<boolean> {
  return isOpsSession((await cookies()).get(OPS_COOKIE)?.value);
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
  maxAge: OPS_COOKIE_MAX_AGE,
});
