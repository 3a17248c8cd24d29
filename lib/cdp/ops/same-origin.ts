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
 * CSRF defence for requests the console's cookie authenticates: only a page of this very origin may make them.
 * `Sec-Fetch-Site` (sent by every current browser, and not settable by pages) must say `same-origin`: a page on
 * another port of the same host is `same-site` and is refused, although the browser sends it the SameSite=Lax
 * cookie. Without that header the `Origin` must be this app's (the request's own origin, or APP_URL's).
 */
export function isSameOriginRequest(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site) return site === 'same-origin';
  const origin = request.headers.get('origin');
  return origin !== null && (origin === originOf(request.url) || origin === originOf(env().appUrl));
}

export const crossOriginRefused = () =>
  Response.json(
    { error: 'Refused: the ops console accepts changes only from its own pages (or with the bearer token)' },
    { status: 403, headers: { 'Cache-Control': 'no-store' } },
  );
