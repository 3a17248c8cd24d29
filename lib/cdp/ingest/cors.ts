import 'server-only';
import { env } from '@/lib/env';
import type { HeaderReader } from '@/lib/common/client-address';
import type { Answer } from '@/lib/common/http';

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** What CORS reads of a request (a Web Request, or the ingest fast path's view of a node request). */
type CorsRequest = { headers: HeaderReader; url: string };

// Parsed once per configuration and per host rather than per request: `new URL` was a visible part of a single
// call's ingest (issue 13). The last host's origin only, so a client cannot grow it.
let configured: { key: string; origins: Set<string> } | undefined;
let lastSelf: { url: string; origin: string | null } | undefined;

/** The shop's APP_URL and CDP_ALLOWED_ORIGINS, as origins. */
function configuredOrigins(): Set<string> {
  const e = env();
  const key = `${e.appUrl}\n${e.CDP_ALLOWED_ORIGINS}`;
  if (configured?.key !== key) {
    const origins = [e.appUrl, ...e.CDP_ALLOWED_ORIGINS.split(',')].map((o) => originOf(o.trim()));
    configured = { key, origins: new Set(origins.filter((o): o is string => o !== null)) };
  }
  return configured.origins;
}

/**
 * The origin the request itself was addressed to (the shop may be opened as localhost or 127.0.0.1). X-Forwarded-Host
 * and X-Forwarded-Proto are believed only behind TRUST_PROXY, as X-Forwarded-For is (client-address.ts): otherwise
 * any client could name its own origin the shop's (`Origin: http://evil.com` with `X-Forwarded-Host: evil.com` got
 * CORS headers for evil.com), and the Host header alone counts.
 */
function ownOrigin(request: CorsRequest, trustedProxies: number): string | null {
  const forwarded = (name: string) => (trustedProxies === 0 ? null : request.headers.get(name));
  const host = forwarded('x-forwarded-host') ?? request.headers.get('host');
  if (!host) return null;
  const proto = forwarded('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '');
  const url = `${proto}://${host}`;
  if (lastSelf?.url !== url) lastSelf = { url, origin: originOf(url) };
  return lastSelf.origin;
}

/**
 * CORS headers for an ingest request, `{}` for callers that send no Origin (servers), or null when the
 * Origin is not allowed: allowed are the shop's APP_URL, CDP_ALLOWED_ORIGINS, and the request's own origin.
 */
export function corsHeaders(
  request: CorsRequest,
  trustedProxies = env().trustedProxies,
): Record<string, string> | null {
  const origin = request.headers.get('origin');
  if (!origin) return {};
  if (!configuredOrigins().has(origin) && ownOrigin(request, trustedProxies) !== origin) return null;
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

export const originNotAllowed = (request: { headers: HeaderReader }): Answer => ({
  status: 403,
  headers: { Vary: 'Origin' },
  body: { error: `Origin ${request.headers.get('origin')} may not send events here; add it to CDP_ALLOWED_ORIGINS` },
});
