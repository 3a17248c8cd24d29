import { env } from '@/lib/env';

export type HeaderReader = { get(name: string): string | null };

/**
 * The client's address, for rate limits. `X-Forwarded-For` is believed only as far as TRUST_PROXY says: with N
 * trusted proxies the address is the entry the outermost of them appended (N from the right); with `true`, the
 * leftmost; `X-Real-IP` when a trusted proxy sent no X-Forwarded-For.
 *
 * Without TRUST_PROXY the address is the socket's. Next does not hand route handlers or actions the socket, but its
 * server fills `X-Forwarded-For` with the socket address when the request has none, and proxy.ts deletes any the
 * client sent (stripUntrustedForwarding), so what is left here is Next's own.
 */
export function clientAddress(headers: HeaderReader, trustedProxies = env().trustedProxies): string {
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (trustedProxies === 0) return forwarded.at(-1) ?? 'unknown';
  if (!forwarded.length) return headers.get('x-real-ip')?.trim() || 'unknown';
  const index = trustedProxies === Number.POSITIVE_INFINITY ? 0 : Math.max(0, forwarded.length - trustedProxies);
  return forwarded[index]!;
}

/**
 * Headers only a trusted proxy may set: proxy.ts removes them from requests when TRUST_PROXY is unset. Next's server
 * then fills X-Forwarded-For/-Host/-Proto itself (the socket's address, the Host header, the socket's protocol), so
 * its own Origin check for server actions and every reader after the proxy see those, never the client's.
 */
export const FORWARDING_HEADERS = ['x-forwarded-for', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto'] as const;

/** Deletes forwarding headers a client may have sent, unless the app sits behind proxies it trusts. */
export function stripUntrustedForwarding(headers: Headers, trustedProxies = env().trustedProxies): Headers {
  if (trustedProxies === 0) for (const name of FORWARDING_HEADERS) headers.delete(name);
  return headers;
}
