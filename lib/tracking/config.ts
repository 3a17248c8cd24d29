import { z } from 'zod';
import { consentModeSchema, type ConsentMode } from './consent';

/**
 * Runtime config the server layout hands to <TrackingProvider>. Built per request from the request's own
 * origin, so the browser always posts first-party to the host that served the page (never inlined at build).
 */
export const browserTrackingConfigSchema = z.object({
  writeKey: z.string().min(1),
  /** Host and path without a scheme, e.g. `localhost:3000/api/cdp/v1` (the SDK adds `protocol://`). */
  apiHost: z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~-]+)*$/, 'host[:port]/path without scheme or trailing slash'),
  protocol: z.enum(['http', 'https']),
  consentMode: consentModeSchema,
  strict: z.boolean(),
});
export type BrowserTrackingConfig = z.infer<typeof browserTrackingConfigSchema>;

/** Where the local pipeline accepts browser calls; a shop posting elsewhere passes its own `apiPath`. */
export const DEFAULT_API_PATH = '/api/cdp/v1';

export function browserTrackingConfig(input: {
  origin: string;
  writeKey: string;
  consentMode: ConsentMode;
  strict: boolean;
  apiPath?: string;
}): BrowserTrackingConfig {
  const url = new URL(input.origin);
  const path = (input.apiPath ?? DEFAULT_API_PATH).replace(/\/+$/, '');
  return browserTrackingConfigSchema.parse({
    writeKey: input.writeKey,
    apiHost: `${url.host}${path}`,
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    consentMode: input.consentMode,
    strict: input.strict,
  });
}

const hostHeader = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The origin a request was made to, from Host / X-Forwarded-* (first value). Falls back to `fallback`
 * (e.g. APP_URL) when the headers are missing or malformed, so a forged header cannot inject a URL.
 */
export function originFromHeaders(headers: { get(name: string): string | null }, fallback: string): string {
  const first = (name: string) => headers.get(name)?.split(',')[0]?.trim() || null;
  const host = first('x-forwarded-host') ?? first('host');
  const proto = first('x-forwarded-proto') ?? new URL(fallback).protocol.replace(':', '');
  if (!host || !hostHeader.test(host) || (proto !== 'http' && proto !== 'https')) return new URL(fallback).origin;
  return `${proto}://${host}`;
}

/** Where the node SDK posts: it resolves `path` against `host`, so an absolute path replaces any path in host. */
export function serverTrackingEndpoint(origin: string, batchPath = `${DEFAULT_API_PATH}/batch`) {
  return { host: new URL(origin).origin, path: batchPath };
}
