import { NextResponse, type NextRequest } from 'next/server';
import { secureCookies } from '@/lib/common/cookies';
import { escapeUndecodablePath } from '@/lib/common/url-path';
import { env } from '@/lib/env';
import { applyAcquisitionSource } from '@/lib/shop/server/acquisition';
import { anonymousIdProxy } from '@/lib/tracking/anonymous-id-proxy';

const OPS_PAGE = /^\/ops(?:\/|$)/;

// Mints/re-issues ajs_anonymous_id on page requests and remembers the first campaign (utm_source); takes any
// path with an undecodable percent escape as typed (see escapeUndecodablePath).
// Proxy runs on the Node runtime, so env() is read per request.
export function proxy(request: NextRequest) {
  const repaired = escapeUndecodablePath(request.nextUrl.pathname);
  if (repaired !== null) {
    const url = request.nextUrl.clone();
    url.pathname = repaired;
    return NextResponse.rewrite(url);
  }
  // Console pages reach the proxy only through the second matcher; their visitors get no anonymous id.
  if (OPS_PAGE.test(request.nextUrl.pathname)) return NextResponse.next();
  const consentMode = env().CONSENT_MODE;
  return applyAcquisitionSource(
    request,
    anonymousIdProxy(request, consentMode, { secure: secureCookies(request) }),
    consentMode,
  );
}

export const config = {
  matcher: [
    // Shop pages. Only body-less requests: Next.js holds a request that has a body until all of it has arrived
    // before it runs the proxy (it buffers the body for it), so a body shorter than its Content-Length would hang
    // there; a page request never has one, and server actions need nothing from the proxy.
    {
      source: '/((?!api/|ops(?:/|$)|_next/|favicon.ico|robots.txt|sitemap.xml).*)',
      missing: [
        { type: 'header', key: 'content-length' },
        { type: 'header', key: 'transfer-encoding' },
      ],
    },
    // Every path with a percent escape, API routes and the console included, for escapeUndecodablePath.
    '/:path(.*%.*)',
  ],
};
