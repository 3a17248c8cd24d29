import { NextResponse, type NextRequest } from 'next/server';
import { ANONYMOUS_ID_COOKIE, anonymousIdCookieOptions, readAnonymousId } from './cookies';
import { isConsentMode, readConsentChoice, trackingAllowed, type ConsentMode } from './consent';
import { uuidV4 } from './ids';

/**
 * The server mints the anonymous id on the first document request and re-issues it on later ones
 * (a server-set cookie is not shortened by Safari's limits on script-written storage). Server actions
 * in the same request see it too: Next forwards cookies set here to `cookies()`.
 */

type RequestLike = { method: string; nextUrl: URL; headers: Headers; cookies: NextRequest['cookies'] };

const STATIC_FILE = /\.[A-Za-z0-9]{1,8}$/;

/** A browser navigation to a page: not an asset, API call, RSC fetch or prefetch. */
export function isDocumentRequest(request: RequestLike): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.nextUrl.pathname;
  if (path.startsWith('/_next') || path.startsWith('/api/') || path === '/api' || STATIC_FILE.test(path)) return false;
  const h = request.headers;
  if (h.get('rsc') || h.get('next-router-prefetch') || h.get('purpose') === 'prefetch') return false;
  const dest = h.get('sec-fetch-dest');
  if (dest) return dest === 'document';
  return (h.get('accept') ?? '').includes('text/html');
}

export type AnonymousIdDecision = { action: 'skip' } | { action: 'set'; id: string; minted: boolean; secure: boolean };

/**
 * `secure` overrides the cookie's `Secure` flag, for a shop that decides it in one place (e.g. from its public
 * URL); by default it follows the request's protocol (`x-forwarded-proto` first).
 */
export type AnonymousIdOptions = { secure?: boolean };

export function decideAnonymousId(
  request: RequestLike,
  consentMode: ConsentMode,
  options: AnonymousIdOptions = {},
): AnonymousIdDecision {
  if (!isDocumentRequest(request)) return { action: 'skip' };
  if (!trackingAllowed(consentMode, readConsentChoice(request.cookies))) return { action: 'skip' };
  const existing = readAnonymousId(request.cookies);
  const forwardedProto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const secure = options.secure ?? (forwardedProto ?? request.nextUrl.protocol.replace(':', '')) === 'https';
  return { action: 'set', id: existing ?? uuidV4(), minted: !existing, secure };
}

/**
 * The consent mode from untyped config (`process.env.CONSENT_MODE`): unset is the default, opt-out; any value but
 * "opt-out" or "opt-in" throws, naming the variable. A typo is not guessed at either way: read as opt-out (as it
 * was), `optin` set the anonymous id before the shopper accepted in a shop that chose opt-in; read as opt-in, it
 * would quietly stop tracking in a shop that chose opt-out. Here, not in consent.ts: that module is in every page's
 * first load.
 */
export function parseConsentMode(value: unknown): ConsentMode {
  if (value === undefined) return 'opt-out';
  if (isConsentMode(value)) return value;
  throw new Error(
    `CONSENT_MODE is ${JSON.stringify(value)}: set it to "opt-out" (track unless the shopper declines) or ` +
      '"opt-in" (nothing before they accept), or leave it unset for opt-out',
  );
}

/** Sets (or re-issues) the cookie on an existing response, for shops whose proxy.ts does more than this. */
export function applyAnonymousId(
  request: RequestLike,
  response: NextResponse,
  consentMode: unknown,
  options: AnonymousIdOptions = {},
): NextResponse {
  const decision = decideAnonymousId(request, parseConsentMode(consentMode), options);
  if (decision.action === 'set') {
    response.cookies.set(ANONYMOUS_ID_COOKIE, decision.id, anonymousIdCookieOptions({ secure: decision.secure }));
  }
  return response;
}

/** The whole proxy for a shop that needs nothing else in proxy.ts. */
export function anonymousIdProxy(
  request: NextRequest,
  consentMode: unknown,
  options: AnonymousIdOptions = {},
): NextResponse {
  return applyAnonymousId(request, NextResponse.next(), consentMode, options);
}
