import { isConsentMode, type ConsentMode } from './consent';
import { isPrivateUrls, type PrivateUrls } from './private-urls';

/**
 * Runtime config handed to <TrackingProvider>, built at run time from the server's env and the origin the page
 * was served from, so the browser always posts first-party to the host that served the page (never inlined at
 * build). Checked by hand rather than with zod when it is built (browserTrackingConfig): a static page builds it in
 * the browser.
 */
export type BrowserTrackingConfig = {
  writeKey: string;
  /** Host and path without a scheme, e.g. `localhost:3000/api/cdp/v1` (the SDK adds `protocol://`). */
  apiHost: string;
  protocol: 'http' | 'https';
  consentMode: ConsentMode;
  strict: boolean;
  /** The secrets in the shop's URLs that no call may carry (./private-urls.ts). */
  privateUrls?: PrivateUrls;
};

const apiHostPattern = /^[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~-]+)*$/;

/** What is wrong with `value` as a browser config (one sentence per field); empty when it is one. */
export function browserTrackingConfigProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['the tracking config must be an object'];
  const c = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof c.writeKey !== 'string' || c.writeKey === '') problems.push('writeKey must be a non-empty string');
  if (typeof c.apiHost !== 'string' || !apiHostPattern.test(c.apiHost))
    problems.push('apiHost must be host[:port]/path without scheme or trailing slash');
  if (c.protocol !== 'http' && c.protocol !== 'https') problems.push('protocol must be "http" or "https"');
  if (!isConsentMode(c.consentMode)) problems.push('consentMode must be "opt-out" or "opt-in"');
  if (typeof c.strict !== 'boolean') problems.push('strict must be a boolean');
  if (!isPrivateUrls(c.privateUrls)) problems.push('privateUrls must name queryParams and pathPrefixes as strings');
  return problems;
}

/** The config itself, or an error naming every problem. */
export function parseBrowserTrackingConfig(value: unknown): BrowserTrackingConfig {
  const problems = browserTrackingConfigProblems(value);
  if (problems.length) throw new Error(`invalid tracking config: ${problems.join('; ')}`);
  const c = value as BrowserTrackingConfig;
  return {
    writeKey: c.writeKey,
    apiHost: c.apiHost,
    protocol: c.protocol,
    consentMode: c.consentMode,
    strict: c.strict,
    ...(c.privateUrls && { privateUrls: c.privateUrls }),
  };
}

/** Where the local pipeline accepts browser calls; a shop posting elsewhere passes its own `apiPath`. */
export const DEFAULT_API_PATH = '/api/cdp/v1';

export function browserTrackingConfig(input: {
  origin: string;
  writeKey: string;
  consentMode: ConsentMode;
  strict: boolean;
  apiPath?: string;
  privateUrls?: PrivateUrls;
}): BrowserTrackingConfig {
  const url = new URL(input.origin);
  const path = (input.apiPath ?? DEFAULT_API_PATH).replace(/\/+$/, '');
  return parseBrowserTrackingConfig({
    writeKey: input.writeKey,
    apiHost: `${url.host}${path}`,
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    consentMode: input.consentMode,
    strict: input.strict,
    privateUrls: input.privateUrls,
  });
}

const hostHeader = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * `trustForwarded`: a proxy the shop trusts sets X-Forwarded-Host / X-Forwarded-Proto (and overwrites any a client
 * sent). Only then are they believed; by default the Host header is, as anyone can send those headers: behind a CDN
 * or cache, a forged one would make a cached page send every visitor's events to the forger's host.
 */
export type OriginFromHeadersOptions = { trustForwarded?: boolean };

/**
 * The origin a request was made to: Host, or X-Forwarded-Host / -Proto (first value) when `trustForwarded`; the
 * protocol is `fallback`'s unless a trusted X-Forwarded-Proto names it. Falls back to `fallback` (e.g. APP_URL) when
 * the headers are missing or malformed, so a forged header cannot inject a URL.
 */
export function originFromHeaders(
  headers: { get(name: string): string | null },
  fallback: string,
  { trustForwarded = false }: OriginFromHeadersOptions = {},
): string {
  const first = (name: string) => headers.get(name)?.split(',')[0]?.trim() || null;
  const forwarded = (name: string) => (trustForwarded ? first(name) : null);
  const host = forwarded('x-forwarded-host') ?? first('host');
  const proto = forwarded('x-forwarded-proto') ?? new URL(fallback).protocol.replace(':', '');
  if (!host || !hostHeader.test(host) || (proto !== 'http' && proto !== 'https')) return new URL(fallback).origin;
  return `${proto}://${host}`;
}

/** Where the node SDK posts: it resolves `path` against `host`, so an absolute path replaces any path in host. */
export function serverTrackingEndpoint(origin: string, batchPath = `${DEFAULT_API_PATH}/batch`) {
  return { host: new URL(origin).origin, path: batchPath };
}
