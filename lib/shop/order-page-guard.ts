import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE } from './auth/session-cookie';
import { isValidOrderSignature } from './order-links';

const ORDER_PAGE = /^\/orders\/([^/]+)\/?$/;

/**
 * Turns away order-page requests that cannot possibly be the buyer — no valid link signature and no
 * session — before rendering starts. The page itself streams (loading UI) and so could only answer a
 * "soft" 404 with status 200; this gives a real 404. The page still makes the full decision, including
 * the session-owner check, which needs the database.
 */
export function orderPageGuard(request: NextRequest): NextResponse | undefined {
  const match = ORDER_PAGE.exec(request.nextUrl.pathname);
  if (!match || request.cookies.has(SESSION_COOKIE)) return undefined;
  const orderId = decodeURIComponent(match[1]!);
  if (isValidOrderSignature(orderId, request.nextUrl.searchParams.get('sig'))) return undefined;
  // No route matches this path, so Next answers with the not-found page and a 404 status.
  return NextResponse.rewrite(new URL('/orders/_/not-found', request.url));
}
