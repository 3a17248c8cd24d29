import type { NextRequest } from 'next/server';
import { secureCookies } from '@/lib/common/cookies';
import { env } from '@/lib/env';
import { applyAcquisitionSource } from '@/lib/shop/server/acquisition';
import { anonymousIdProxy } from '@/lib/tracking/anonymous-id-proxy';

// Mints/re-issues ajs_anonymous_id on page requests and remembers the first campaign (utm_source).
// Proxy runs on the Node runtime, so env() is read per request.
export function proxy(request: NextRequest) {
  const consentMode = env().CONSENT_MODE;
  return applyAcquisitionSource(
    request,
    anonymousIdProxy(request, consentMode, { secure: secureCookies(request) }),
    consentMode,
  );
}

export const config = { matcher: ['/((?!api/|ops(?:/|$)|_next/|favicon.ico|robots.txt|sitemap.xml).*)'] };
