import { isUuidV4 } from './ids';

/** The Customer.io/Segment SDK's own cookie names: the proxy, server actions and the SDK share them. */
export const ANONYMOUS_ID_COOKIE = 'ajs_anonymous_id';
export const USER_ID_COOKIE = 'ajs_user_id';
/** One year, in seconds (Set-Cookie Max-Age). The browser SDK uses the same 365 days. */
export const ANONYMOUS_ID_MAX_AGE = 60 * 60 * 24 * 365;

/** Anonymous ids are UUID v4, minted by proxy.ts (or by the SDK after a late opt-in, which also uses v4). */
export function isValidAnonymousId(value: unknown): value is string {
  return isUuidV4(value);
}

/** Cookie attributes for ajs_anonymous_id. Not httpOnly: the browser SDK must read it. */
export function anonymousIdCookieOptions({ secure }: { secure: boolean }) {
  return { path: '/', maxAge: ANONYMOUS_ID_MAX_AGE, sameSite: 'lax' as const, httpOnly: false, secure };
}

/** A value as stored by any writer: URI-encoded and, for some writers, JSON-quoted. */
export function normalizeCookieValue(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  let value = raw.trim();
  try {
    value = decodeURIComponent(value);
  } catch {
    // keep the raw text; validation below rejects it if it is not an id
  }
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return value === '' ? null : value;
}

export function parseCookieHeader(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    // The first occurrence wins, as in browsers (the most specific path is sent first).
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/** Next's `cookies()` store and `request.cookies` both have this shape. */
export type CookieReader = { get(name: string): { value: string } | undefined };
/** A Cookie header (or `document.cookie`) or a Next cookie store. */
export type CookieSource = string | null | undefined | CookieReader;

/** A cookie's value as sent, not yet normalized. */
export function rawCookieValue(source: CookieSource, name: string): string | undefined {
  return typeof source === 'object' && source !== null ? source.get(name)?.value : parseCookieHeader(source).get(name);
}

/** The visitor's anonymous id from a Cookie header or a Next cookie store; null when absent or malformed. */
export function readAnonymousId(source: CookieSource): string | null {
  const value = normalizeCookieValue(rawCookieValue(source, ANONYMOUS_ID_COOKIE));
  return isValidAnonymousId(value) ? value : null;
}

/** The user id the browser SDK stored at its last identify (any format: the guard judges it, not this). */
export function readStoredUserId(source: CookieSource): string | null {
  return normalizeCookieValue(rawCookieValue(source, USER_ID_COOKIE));
}
