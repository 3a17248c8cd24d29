// The ingest API answered before Next.js (scripts/serve.mjs): which requests it takes, and the node <-> Web
// conversion around the very handlers app/api/cdp/v1/[...path]/route.ts calls (published by instrumentation.ts,
// lib/cdp/ops/ingest-fast-path.ts). Every answer must equal the route's; tests/e2e/ingest-fast-path.spec.ts compares.

/** The slot instrumentation.ts fills (lib/cdp/ops/ingest-fast-path.ts's INGEST_FAST_PATH). */
export const INGEST_FAST_PATH = Symbol.for('glowlab.ingest-fast-path.v1');

const PREFIX = '/api/cdp/v1/';
/** lib/common/client-address.ts's FORWARDING_HEADERS: believed only behind TRUST_PROXY. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'x-real-ip'];

/** The published handlers, or null (a build without them, or `next dev`): then Next.js serves everything. */
export function publishedFastPath() {
  const slot = globalThis[INGEST_FAST_PATH];
  return slot && typeof slot.handleIngest === 'function' ? slot : null;
}

/**
 * The endpoint a request is for when the fast path takes it, else null. Only the exact paths, POST and OPTIONS:
 * anything else (a query, a percent escape, a trailing slash, another method) goes to Next.js, whose answers are
 * the reference. Requests with X-Forwarded-For / X-Real-IP are taken too: toWebRequest believes them only as far as
 * TRUST_PROXY says.
 */
export function fastPathEndpoint(fastPath, req, endpoints = new Set(fastPath.endpoints)) {
  if (req.method !== 'POST' && req.method !== 'OPTIONS') return null;
  const url = req.url ?? '';
  if (!url.startsWith(PREFIX)) return null;
  const endpoint = url.slice(PREFIX.length);
  if (!endpoints.has(endpoint)) return null;
  return endpoint;
}

/**
 * The Web Request the route would get: Node's parsed headers (as Next copies them), the X-Forwarded-* headers
 * Next's server fills in when absent (base-server.ts: host, port, proto, the socket's address), and the body
 * streamed. `server` is the listening address ({ hostname, port }). Without `trustsForwarding` (TRUST_PROXY) the
 * client's X-Forwarded-For and X-Real-IP are dropped and the socket's address stands in, so a client cannot choose
 * its rate-limit bucket (through Next.js, proxy.ts drops them and the route sees no address, one bucket for all
 * such clients). Throws on what undici refuses.
 */
export function toWebRequest(req, server, trustsForwarding = true) {
  const untrusted = trustsForwarding ? [] : FORWARDING_HEADERS;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (untrusted.includes(name)) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const fill = (name, value) => {
    if (!headers.has(name) && value !== undefined) headers.set(name, value);
  };
  fill('x-forwarded-host', req.headers.host ?? server.hostname);
  fill('x-forwarded-port', String(server.port));
  fill('x-forwarded-proto', 'http');
  fill('x-forwarded-for', req.socket.remoteAddress);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`http://${server.hostname}:${server.port}${req.url}`, {
    method: req.method,
    headers,
    ...(hasBody && { body: requestBody(req), duplex: 'half' }),
  });
}

/**
 * The body as a Web stream, read as the handler asks (one chunk ahead), so a body the handler refuses early is not
 * buffered. Whatever the handler leaves unread is read and dropped once the answer is sent (drainRequest), as
 * Next.js does, so the connection can carry the client's next request.
 */
function requestBody(req) {
  let done = false;
  return new ReadableStream({
    start(controller) {
      req.on('data', (chunk) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on('end', () => {
        if (!done) controller.close();
        done = true;
      });
      // A client that drops the connection mid-body: the handler's read fails (readBody answers 400).
      req.on('error', (error) => {
        if (!done) controller.error(error);
        done = true;
      });
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.resume();
    },
  });
}

/** Reads and drops what is left of a request's body, so a keep-alive connection is ready for the next request. */
export function drainRequest(req) {
  if (req.complete || req.destroyed) return;
  req.removeAllListeners('data');
  req.on('data', () => {});
  req.on('error', () => {});
  req.resume();
}

/**
 * Sends a Web Response as Next.js sends a route handler's: the headers next.config.ts adds first (`preset`), then
 * the response's, a header already set kept unless it may repeat; the body with its length.
 */
export async function sendWebResponse(res, response, preset = []) {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  res.statusCode = response.status;
  for (const [name, value] of preset) res.setHeader(name, value);
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    if (REPEATABLE.has(name) || !res.hasHeader(name)) res.appendHeader(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) res.appendHeader('set-cookie', cookie);
  if (body) res.setHeader('content-length', body.byteLength);
  res.end(body ?? undefined);
}

// Headers Next.js appends to rather than keeps (send-response.ts).
const REPEATABLE = new Set(['www-authenticate', 'proxy-authenticate', 'vary']);

/**
 * Answers one request the fast path took: never throws. A handler that throws gets Next's answer to a route that
 * throws (500, no body) and is logged; a request undici cannot represent is handed to `fallback` (Next.js).
 */
export async function answerIngest(fastPath, endpoint, req, res, server, fallback) {
  let request;
  try {
    request = toWebRequest(req, server, fastPath.trustsForwarding());
  } catch {
    return fallback(req, res);
  }
  res.once('close', () => drainRequest(req));
  try {
    const response =
      req.method === 'OPTIONS' ? fastPath.handlePreflight(request) : await fastPath.handleIngest(request, [endpoint]);
    await sendWebResponse(res, response, fastPath.responseHeaders);
  } catch (error) {
    console.error(`[serve] POST /api/cdp/v1/${endpoint} failed:`, error);
    if (!res.headersSent) {
      res.statusCode = 500;
      for (const [name, value] of fastPath.responseHeaders) res.setHeader(name, value);
      res.setHeader('content-length', 0);
    }
    res.end();
  }
}
