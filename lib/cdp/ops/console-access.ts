import 'server-only';
import { getDb, type DB } from '@/lib/db';
import { DAY, HOUR } from '@/lib/common/duration';
import { decodeParam } from '@/lib/common/http';
import { persistentSecret, safeEqual } from '@/lib/common/secrets';
import { env } from '@/lib/env';
import { isLiveOpsSession } from '@/lib/cdp/store/ops-sessions';

/**
 * Who may open the console, in one place for its three doors: proxy.ts (every console page request, before
 * anything renders), the pages themselves (auth.ts: openConsole) and the ops API (auth.ts: opsAuthentication).
 * proxy.ts imports this file and nothing else of lib/cdp (boundaries.config.mjs), so it stays free of React and
 * next/headers.
 */

/** The console's session cookie: a random token per sign-in (store/ops-sessions.ts), never the ops token. */
export const OPS_COOKIE = 'glowlab_ops';
export const OPS_SESSION_TTL_MS = 7 * DAY;
/** A console session unused this long ends before its expiry (personal data behind an unattended screen). */
export const OPS_SESSION_IDLE_MS = HOUR;

/** OPS_TOKEN, or a token generated once into data/ (printed at start-up). */
export const opsToken = () => persistentSecret('ops-token', env().OPS_TOKEN);

export const isOpsToken = (token: string | null | undefined): boolean => !!token && safeEqual(token, opsToken());

/**
 * Whether a session cookie's value is a live session: signed in, not expired, used within the last hour, not
 * signed out, same OPS_TOKEN.
 */
export const isOpsSession = async (db: DB, value: string | undefined): Promise<boolean> =>
  !!value && isLiveOpsSession(db, value, opsToken(), { idleMs: OPS_SESSION_IDLE_MS });

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

const CONSOLE_HOME = '/ops';
const CONSOLE_PAGE = /^\/ops(?:\/|$)/;
const SIGN_IN_PAGE = /^\/ops\/login(?:\/|$)/;
// A base no request can have: a `next` that leaves it (`//evil.com`, `/\evil.com`, `https://…`) is refused.
const NOWHERE = 'http://console.invalid';

/** Whether `pathname` (as requested) is the console's: tested decoded, as Next.js routes it (`/%6Fps` is `/ops`). */
export const isConsolePage = (pathname: string) => CONSOLE_PAGE.test(decodeParam(pathname));

/**
 * Where to go after signing in: `next` when it is a console page of this site (path and query only, the ops token
 * dropped), else the console's home. Anything else would make the sign-in an open redirect.
 */
export function consoleReturnPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return CONSOLE_HOME;
  let url: URL;
  try {
    url = new URL(next, NOWHERE);
  } catch {
    return CONSOLE_HOME;
  }
  if (url.origin !== NOWHERE || !CONSOLE_PAGE.test(url.pathname) || SIGN_IN_PAGE.test(url.pathname))
    return CONSOLE_HOME;
  url.searchParams.delete('token');
  return url.pathname + url.search;
}

/** `path` with `query` and, unless it is the console's home, `next` (what sign-in returns to). */
function withNext(path: string, next: string, query: Record<string, string> = {}): string {
  const params = new URLSearchParams(query);
  if (next !== CONSOLE_HOME) params.set('next', next);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The sign-in page, with what it reports (`error`, `minutes`) and the page to return to. */
export const signInPage = (next: string, query: Record<string, string> = {}) =>
  withNext('/ops/login', consoleReturnPath(next), query);

/** The login URL printed at start-up (`?token=`): trade the token for a session, dropping it from the address. */
export const tokenSignIn = (token: string, next: string) =>
  withNext('/api/ops/session', consoleReturnPath(next), { token });

/**
 * proxy.ts's decision for a request to `url`: null to let it through, or where to send it instead. Sign-in is
 * open; `?token=` goes to the session route; every other console page needs a live session, else the sign-in
 * page with the wanted page in `next`. A live session costs one read by primary key of `ops_sessions` (sessions
 * are server-side so that sign-out and a rotated OPS_TOKEN end them at once); a cookie that is not one we mint is
 * refused without it.
 */
export async function consoleRedirect(url: URL, session: string | undefined, db?: DB): Promise<string | null> {
  if (!isConsolePage(url.pathname) || SIGN_IN_PAGE.test(decodeParam(url.pathname))) return null;
  const wanted = url.pathname + url.search;
  const token = url.searchParams.get('token');
  if (token !== null) return tokenSignIn(token, wanted);
  if (await isOpsSession(db ?? (await getDb()), session)) return null;
  return signInPage(wanted);
}
