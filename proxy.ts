import { NextResponse, type NextRequest } from 'next/server';
import { consoleRedirect, isConsolePage, opsCookieValue } from '@/lib/cdp/ops/console-access';
import { stripUntrustedForwarding } from '@/lib/common/client-address';
import { secureCookies } from '@/lib/common/cookies';
import { isArgumentList, isCrossOrigin, isFormArgumentList } from '@/lib/common/server-action-request';
import {
  newNonce,
  pageContentSecurityPolicy,
  NONCE_PAGE,
  staticPageContentSecurityPolicy,
} from '@/lib/common/security-headers';
import { escapeUndecodablePath } from '@/lib/common/url-path.mjs';
import { env } from '@/lib/env';
import { applyAcquisitionSource } from '@/lib/shop/server/acquisition';
import { linkPageStatus } from '@/lib/shop/server/link-pages';
import { applyAnonymousId } from '@/lib/tracking/anonymous-id-proxy';

/**
 * Page requests (storefront and console), requests carrying forwarding headers, and paths with a percent escape:
 * - a path with an undecodable percent escape is taken as typed (escapeUndecodablePath), so dynamic routes answer
 *   as for an unknown id instead of Next.js's bare 500;
 * - X-Forwarded-For / X-Real-IP / X-Forwarded-Host / X-Forwarded-Proto a client sent are dropped unless TRUST_PROXY
 *   says a proxy sets them, so Next's own (the socket address, the Host header, the socket's protocol) are what rate
 *   limits, Next's server-action Origin check and the app see (lib/common/client-address.ts);
 * - pages: their Content-Security-Policy (lib/common/security-headers.ts): pages with personal data one with a
 *   fresh nonce, which Next reads from the request's policy header and puts on its scripts, the others (the
 *   prerendered storefront among them) the static policy (API routes get theirs from next.config.ts);
 * - storefront pages only: mint/re-issue ajs_anonymous_id and remember the first campaign (utm_source);
 * - console pages: a visitor without a live session is sent to sign in (303) before anything renders.
 * Proxy runs on the Node runtime, so env() is read per request.
 */
export function proxy(request: NextRequest) {
  if (request.method === 'POST' && request.headers.has('next-action'))
    return serverActionRefusal(request).then((refused) => refused ?? routed(request));
  return routed(request);
}

function routed(request: NextRequest) {
  // A link from an email (cart restore, unsubscribe) that expired (410) or never was one (404) is answered with
  // that status, its page explaining (lib/shop/server/link-pages.ts).
  const link = request.method === 'GET' ? linkPageStatus(request.nextUrl.pathname) : null;
  if (link) return link.then((status) => pages(request, status));
  // The console: without a session, a redirect to sign in rather than a 200 whose streamed body redirects (the lists
  // render behind a loading skeleton). lib/cdp/ops/console-access.ts decides; the pages check again (openConsole).
  if (isConsolePage(request.nextUrl.pathname))
    return consoleRedirect(request.nextUrl, opsCookieValue(request)).then((to) =>
      to === null ? pages(request) : seeOther(request, to),
    );
  return pages(request);
}

// Next.js makes a same-host Location relative again, so the redirect stays on the host the console was opened with.
const seeOther = (request: NextRequest, to: string) => {
  const response = NextResponse.redirect(new URL(to, request.url), 303);
  response.headers.set('Cache-Control', 'no-store');
  return response;
};

function pages(request: NextRequest, status: number | null = null) {
  const e = env();
  const headers = stripUntrustedForwarding(new Headers(request.headers));
  const repaired = escapeUndecodablePath(request.nextUrl.pathname);
  const pathname = repaired ?? request.nextUrl.pathname;
  const pass = () => {
    // A status set here is the one the page is answered with (Next.js sets it before rendering).
    const init = { request: { headers }, ...(status !== null && { status }) };
    if (repaired === null) return NextResponse.next(init);
    const url = request.nextUrl.clone();
    url.pathname = repaired;
    return NextResponse.rewrite(url, init);
  };
  if (pathname.startsWith('/api/') || pathname.startsWith('/_next/')) return pass();

  const secure = secureCookies(request);
  const options = {
    development: e.NODE_ENV === 'development',
    imageOrigins: [new URL(e.appUrl).origin],
    https: secure,
  };
  // Only pages rendered per request with personal data get a nonce; the others (prerendered ones among them, whose
  // HTML is the same for everyone) get the static policy, and no policy on the request, where Next looks for one.
  const withNonce = NONCE_PAGE.test(pathname);
  const policy = withNonce
    ? pageContentSecurityPolicy({ nonce: newNonce(), ...options })
    : staticPageContentSecurityPolicy(options);
  if (withNonce) headers.set('content-security-policy', policy);
  const response = pass();
  response.headers.set('Content-Security-Policy', policy);
  // The console's visitors get no anonymous id and no campaign cookie, nor does an address that cannot exist.
  if (isConsolePage(pathname) || repaired !== null) return response;
  return applyAcquisitionSource(
    request,
    applyAnonymousId(request, response, e.CONSENT_MODE, { secure }),
    e.CONSENT_MODE,
  );
}

/**
 * Next reads at most 1 MB of a server action's body (its default `serverActions.bodySizeLimit`, kept: no form here
 * sends more) and answers a larger one with a 500 (its action handler has a TODO to answer 413), leaving the rest of
 * the body unread: the next request on that keep-alive connection then waited ~6 s. Such a POST is answered here
 * with a 413. A body that is not the arguments the shop's pages send (lib/common/server-action-request.ts: plain
 * data in React's encoding, or the multipart a FormData argument is sent as) also got Next's bare 500, from decoding
 * it before any action runs: answered 400 here; and so did a cross-site one (Next's Origin check): 403. Next has
 * buffered the body before the proxy runs (and keeps it for the action), so nothing is left on the connection.
 */
export const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;

async function serverActionRefusal(request: NextRequest): Promise<NextResponse | null> {
  if (isCrossOrigin(request.headers)) return serverActionRefused(403);
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > SERVER_ACTION_BODY_LIMIT) return serverActionRefused(413);
  const body = request.body === null ? new ArrayBuffer(0) : await request.arrayBuffer();
  if (body.byteLength > SERVER_ACTION_BODY_LIMIT) return serverActionRefused(413);
  const contentType = request.headers.get('content-type') ?? '';
  const readable = contentType.toLowerCase().startsWith('multipart/form-data')
    ? await isFormArgumentList(body, contentType)
    : isArgumentList(new TextDecoder().decode(body));
  return readable ? null : serverActionRefused(400);
}

const SERVER_ACTION_REFUSALS = {
  400: 'This form could not be read. Reload the page and try again.',
  403: 'This form was sent from another site.',
  413: 'This form sent more than 1 MB: send less.',
} as const;

const serverActionRefused = (status: keyof typeof SERVER_ACTION_REFUSALS) =>
  new NextResponse(SERVER_ACTION_REFUSALS[status], {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });

export const config = {
  matcher: [
    // Pages, storefront and console. Only body-less requests: Next.js holds a request that has a body until all of
    // it has arrived before it runs the proxy (it buffers the body for it), so a body shorter than its
    // Content-Length would hang there; a page request never has one.
    {
      source: '/((?!api/|_next/|favicon.ico|robots.txt|sitemap.xml).*)',
      missing: [
        { type: 'header', key: 'content-length' },
        { type: 'header', key: 'transfer-encoding' },
      ],
    },
    // Any request that carries a forwarding header, bodies included (server actions, console sign-in): without
    // TRUST_PROXY the header is the client's own and is dropped, so rate limits cannot be dodged by rotating it, nor
    // a host or protocol named. Requests without one skip the proxy; Next then sets X-Forwarded-For/-Host/-Proto
    // itself (socket address, Host, socket protocol). (The matcher must be literal for Next.js to read it: these are
    // lib/common/client-address.ts's FORWARDING_HEADERS.)
    { source: '/((?!_next/).*)', has: [{ type: 'header', key: 'x-forwarded-for' }] },
    { source: '/((?!_next/).*)', has: [{ type: 'header', key: 'x-real-ip' }] },
    { source: '/((?!_next/).*)', has: [{ type: 'header', key: 'x-forwarded-host' }] },
    { source: '/((?!_next/).*)', has: [{ type: 'header', key: 'x-forwarded-proto' }] },
    // Every path with a percent escape, API routes and the console included, for escapeUndecodablePath.
    '/:path(.*%.*)',
    // Every server action POST (serverActionRefusal): cross-site, over SERVER_ACTION_BODY_LIMIT, or a body that is no
    // argument list the shop sends, it is answered here rather than with Next's 500.
    { source: '/((?!api/|_next/).*)', has: [{ type: 'header', key: 'next-action' }] },
  ],
};
