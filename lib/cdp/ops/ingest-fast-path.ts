import 'server-only';
import { env } from '@/lib/env';
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from '@/lib/common/security-headers';
import { INGEST_ENDPOINTS } from '@/lib/cdp/ingest/parse-request';
import { ingestAnswer, preflightAnswer } from './ingest-route';

/**
 * What scripts/serve.mjs needs to answer POST/OPTIONS /api/cdp/v1/<endpoint> itself, before Next.js: the same
 * handlers the route (app/api/cdp/v1/[...path]/route.ts) calls. A route handler costs Next.js ~1.5 ms of CPU per
 * request however little it does, more than a single call's whole ingest; the server runs outside Next's bundle,
 * so instrumentation.ts publishes these on globalThis once the pipeline has started. Everything process-wide the
 * handlers touch (database handle, rate limits, forwarder) lives on globalThis too (lib/common/process-state.ts), so
 * both ways in share it.
 */
export type IngestFastPath = {
  /** The route's handlers, answering before their answer is a Response (the server writes it to node's response). */
  ingestAnswer: typeof ingestAnswer;
  preflightAnswer: typeof preflightAnswer;
  /** The last segments the route answers with handleIngest rather than a 404. */
  endpoints: readonly string[];
  /**
   * Whether X-Forwarded-For / X-Real-IP / X-Forwarded-Host / X-Forwarded-Proto from the client are believed
   * (TRUST_PROXY). When not, the server drops them and puts its own values in their place (the socket's address, the
   * Host header, http: scripts/serve/ingest-fast-path.mjs requestView).
   */
  trustsForwarding: () => boolean;
  /**
   * REQUEST_BODY_TIMEOUT_MS: also how long the server reads what is left of an answered request's body before it
   * closes the connection (scripts/serve/ingest-fast-path.mjs drainRequest). Absent from older builds.
   */
  bodyTimeoutMs?: () => number;
  /** The headers next.config.ts adds to every /api response, in its order. */
  responseHeaders: ReadonlyArray<readonly [string, string]>;
};

/** Where the server looks; versioned, so an older build's object is never misread (it then serves all via Next). */
export const INGEST_FAST_PATH = Symbol.for('glowlab.ingest-fast-path.v2');

export function publishIngestFastPath(): void {
  const fastPath: IngestFastPath = {
    ingestAnswer,
    preflightAnswer,
    endpoints: INGEST_ENDPOINTS,
    trustsForwarding: () => env().trustedProxies !== 0,
    bodyTimeoutMs: () => env().REQUEST_BODY_TIMEOUT_MS,
    responseHeaders: [
      ...STATIC_SECURITY_HEADERS.map(({ key, value }) => [key, value] as const),
      ['Content-Security-Policy', API_CONTENT_SECURITY_POLICY],
    ],
  };
  (globalThis as Record<symbol, unknown>)[INGEST_FAST_PATH] = fastPath;
}
