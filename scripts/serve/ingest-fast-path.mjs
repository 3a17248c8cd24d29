// The ingest API answered before Next.js (scripts/serve.mjs): which requests it takes, the view of node's request
// the very handlers app/api/cdp/v1/[...path]/route.ts calls read (published by instrumentation.ts,
// lib/cdp/ops/ingest-fast-path.ts), and their answers written back. Every answer must equal the route's;
// tests/e2e/ingest-fast-path.spec.ts compares.

/** The slot instrumentation.ts fills (lib/cdp/ops/ingest-fast-path.ts's INGEST_FAST_PATH). */
export const INGEST_FAST_PATH = Symbol.for('glowlab.ingest-fast-path.v2');

const PREFIX = '/api/cdp/v1/';
/** lib/common/client-address.ts's FORWARDING_HEADERS: believed only behind TRUST_PROXY. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto'];

/** The published handlers, or null (a build without them, or `next dev`): then Next.js serves everything. */
export function publishedFastPath() {
  const slot = globalThis[INGEST_FAST_PATH];
  return slot && typeof slot.ingestAnswer === 'function' ? slot : null;
}

/**
 * The endpoint a request is for when the fast path takes it, else null. Only the exact paths, POST and OPTIONS:
 * anything else (a query, a percent escape, a trailing slash, another method) goes to Next.js, whose answers are
 * the reference. Requests with X-Forwarded-For / X-Real-IP are taken too: requestView believes them only as far as
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
 * The request as the handlers read it (lib/common/request-body.ts's RequestView), over node's own request: the
 * headers the route would see, the URL, and the body read a chunk at a time as the handler asks. No Web Request and
 * no body stream per request (undici's Request and ReadableStream were a tenth of a single call's CPU, issue 13).
 * The headers are Node's parsed ones (as Next copies them: repeated headers joined, names lower-case) plus the
 * X-Forwarded-* headers Next's server fills in when absent (base-server.ts: host, port, proto, the socket's
 * address). `server` is the listening address ({ hostname, port }). Without `trustsForwarding` (TRUST_PROXY) the
 * client's X-Forwarded-For, X-Real-IP, X-Forwarded-Host and X-Forwarded-Proto are dropped and Next's values stand in
 * (the socket's address, Host, http), so a client cannot choose its rate-limit bucket nor name the request's origin
 * (through Next.js the same: proxy.ts drops them and Next's server fills in its own values after it).
 */
export function requestView(req, server, trustsForwarding = true) {
  const sent = req.headers;
  const filled = {
    'x-forwarded-host': () => sent.host ?? server.hostname,
    'x-forwarded-port': () => String(server.port),
    'x-forwarded-proto': () => 'http',
    'x-forwarded-for': () => req.socket.remoteAddress,
  };
  const header = (name) => {
    const believed = Object.hasOwn(sent, name) && (trustsForwarding || !FORWARDING_HEADERS.includes(name));
    const value = believed ? sent[name] : undefined;
    return value ?? (Object.hasOwn(filled, name) ? filled[name]() : undefined);
  };
  return {
    url: `http://${server.hostname}:${server.port}${req.url}`,
    headers: {
      get(name) {
        const value = header(name.toLowerCase());
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: req.method === 'GET' || req.method === 'HEAD' ? null : { getReader: () => bodyReader(req) },
  };
}

/**
 * The body as a reader (what readBody takes of a Web stream's): a chunk at a time as the handler asks, so a body the
 * handler refuses early is not buffered. Whatever the handler leaves unread is read and dropped once the answer is
 * sent (drainRequest), as Next.js does, so the connection can carry the client's next request.
 */
function bodyReader(req) {
  let failure = null;
  // A client that drops the connection mid-body: the handler's read fails (readBody answers 400).
  req.on('error', (error) => {
    failure ??= error;
  });
  let waiting = null;
  const stopWaiting = () => {
    if (!waiting) return;
    for (const event of READER_EVENTS) req.off(event, stopWaiting);
    const settle = waiting;
    waiting = null;
    settle();
  };
  const changed = () =>
    new Promise((resolve) => {
      waiting = resolve;
      for (const event of READER_EVENTS) req.on(event, stopWaiting);
    });
  return {
    async read() {
      for (;;) {
        if (failure) throw failure;
        const chunk = req.read();
        if (chunk !== null) return { done: false, value: chunk };
        if (req.readableEnded) return { done: true, value: undefined };
        if (req.destroyed) throw new Error('The request closed before its body ended');
        await changed();
      }
    },
    async cancel() {
      stopWaiting();
    },
  };
}

const READER_EVENTS = ['readable', 'end', 'error', 'close'];

/** How long what is left of an answered request's body may take to arrive (drainRequest), when not published. */
export const DRAIN_LIMIT_MS = 10_000;

/**
 * Reads and drops what is left of a request's body, so a keep-alive connection is ready for the next request, for
 * `limitMs` at most: then the connection is closed. A body that stopped short (answered 400 once its body timeout
 * ran out) was otherwise read for as long as the client kept sending a byte now and then, its socket held until
 * Node's requestTimeout (300 s) instead of the body timeout (REQUEST_BODY_TIMEOUT_MS).
 */
export function drainRequest(req, limitMs = DRAIN_LIMIT_MS) {
  if (req.complete || req.destroyed) return;
  req.removeAllListeners('data');
  // A 'readable' listener would keep the stream paused whatever resume() says.
  req.removeAllListeners('readable');
  req.on('data', () => {});
  req.on('error', () => {});
  const timer = setTimeout(() => req.socket?.destroy(), limitMs);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/**
 * Sends a handler's answer (lib/common/http.ts's Answer) as Next.js sends the Response the route makes of it: the
 * headers next.config.ts adds first (`preset`), then the answer's as a Web Response lists them (names lower-case, in
 * order, Content-Type application/json with a body), a header already set kept unless it may repeat; the body as
 * Response.json writes it, with its length. No Web Response is built and read back (issue 13).
 */
export function sendAnswer(res, { status, headers, body }, preset = []) {
  const text = body === undefined ? null : JSON.stringify(body);
  const own = Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]);
  if (text !== null && !own.some(([name]) => name === 'content-type')) own.push(['content-type', 'application/json']);
  own.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  res.statusCode = status;
  for (const [name, value] of preset) res.setHeader(name, value);
  for (const [name, value] of own) if (REPEATABLE.has(name) || !res.hasHeader(name)) res.appendHeader(name, value);
  if (text !== null) res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text ?? undefined);
}

// Headers Next.js appends to rather than keeps (send-response.ts).
const REPEATABLE = new Set(['www-authenticate', 'proxy-authenticate', 'vary']);

/**
 * Answers one request the fast path took: never throws. A handler that throws gets Next's answer to a route that
 * throws (500, no body) and is logged.
 */
export async function answerIngest(fastPath, endpoint, req, res, server) {
  const request = requestView(req, server, fastPath.trustsForwarding());
  res.once('close', () => drainRequest(req, fastPath.bodyTimeoutMs?.()));
  try {
    const answer =
      req.method === 'OPTIONS' ? fastPath.preflightAnswer(request) : await fastPath.ingestAnswer(request, [endpoint]);
    sendAnswer(res, answer, fastPath.responseHeaders);
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
