import { NextResponse, type NextRequest } from 'next/server';
import { stripUntrustedForwarding } from '@/lib/common/client-address';
import { secureCookies } from '@/lib/common/cookies';
import { newNonce, pageContentSecurityPolicy } from '@/lib/common/security-headers';
import { env } from '@/lib/env';
import { applyAcquisitionSource } from '@/lib/shop/server/acquisition';
import { applyAnonymousId } from '@/lib/tracking/anonymous-id-proxy';

/**
 * Every page request (storefront and console) and the console's sign-in API:
 * - X-Forwarded-For / X-Real-IP a client sent are dropped unless TRUST_PROXY says a proxy sets them, so Next's own
 *   X-Forwarded-For (the socket address) is what rate limits see (lib/common/client-address.ts);
 * - pages: their Content-Security-Policy with a fresh nonce (lib/common/security-headers.ts); Next reads the nonce
 *   from the request's policy header and puts it on its scripts (API routes get theirs from next.config.ts);
 * - storefront pages only: mint/re-issue ajs_anonymous_id and remember the first campaign (utm_source).
 * Proxy runs on the Node runtime, so env() is read per request.
 */
export function proxy(request: NextRequest) {
  const e = env();
  const headers = stripUntrustedForwarding(new Headers(request.headers));
  const { pathname } = request.nextUrl;
  if (pathname.startsWith('/api/')) return NextResponse.next({ request: { headers } });

  const secure = secureCookies(request);
  const policy = pageContentSecurityPolicy({
    nonce: newNonce(),
    development: e.NODE_ENV === 'development',
    imageOrigins: [new URL(e.appUrl).origin],
    https: secure,
  });
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  // The console's visitors get no anonymous id and no campaign cookie.
  if (/^\/ops(?:\/|$)/.test(pathname)) return response;
  return applyAcquisitionSource(
    request,
    applyAnonymousId(request, response, e.CONSENT_MODE, { secure }),
    e.CONSENT_MODE,
  );
}

export const config = {
  matcher: ['/((?!api/|_next/|favicon.ico|robots.txt|sitemap.xml).*)', '/api/ops/session'],
};
