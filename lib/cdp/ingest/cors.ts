import 'server-only';
import { env } from '@/lib/env';

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/**
 * Origins allowed to post events: the shop's APP_URL, CDP_ALLOWED_ORIGINS, and the origin the request itself
 * was addressed to (the shop may be opened as localhost or 127.0.0.1).
 */
function allowedOrigins(request: Request): Set<string> {
  const e = env();
  const origins = [e.appUrl, ...e.CDP_ALLOWED_ORIGINS.split(',')].map((o) => originOf(o.trim()));
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (host) {
    const proto = request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '');
    origins.push(originOf(`${proto}://${host}`));
  }
  return new Set(origins.filter((o): o is string => o !== null));
}

/**
 * CORS headers for an ingest request, `{}` for callers that send no Origin (servers), or null when the
 * Origin is not allowed.
 */
export function corsHeaders(request: Request): Record<string, string> | null {
  const origin = request.headers.get('origin');
  if (!origin) return {};
  if (!allowedOrigins(request).has(origin)) return null;
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

export const originNotAllowed = (request: Request) =>
  Response.json(
    { error: `Origin ${request.headers.get('origin')} may not send events here; add it to CDP_ALLOWED_ORIGINS` },
    { status: 403, headers: { Vary: 'Origin' } },
  );
