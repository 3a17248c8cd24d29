import type { NextRequest } from 'next/server';
import { env } from '@/lib/env';
import { anonymousIdProxy } from '@/lib/tracking/anonymous-id-proxy';

// Mints/re-issues ajs_anonymous_id on page requests. Proxy runs on the Node runtime, so env() is read per request.
export const proxy = (request: NextRequest) => anonymousIdProxy(request, env().CONSENT_MODE);

export const config = { matcher: ['/((?!api/|_next/|favicon.ico|robots.txt|sitemap.xml).*)'] };
