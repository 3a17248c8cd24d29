// The production server (`npm start`, the demo, the e2e and bench servers): Next.js through its documented custom
// server API, except the ingest API (POST/OPTIONS /api/cdp/v1/{t,i,p,s,g,a,b,batch,…}), which is answered first
// with the route's own handlers (scripts/serve/ingest-fast-path.mjs): a route handler costs Next.js ~1.5 ms of CPU
// per request however little it does, more than a single call's whole ingest. Everything else, and every ingest
// request the fast path does not take, is Next's. Takes `next start`'s -p, -H and --keepAliveTimeout.
//
//   node scripts/serve.mjs [-p 3000] [-H 127.0.0.1] [--keepAliveTimeout ms]
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeUndecodablePath } from '../lib/common/url-path.mjs';
import { answerIngest, fastPathEndpoint, publishedFastPath } from './serve/ingest-fast-path.mjs';
import { SERVER_DRAINS, stopWhenSignalled } from './serve/shutdown.mjs';

/** A port from -p or PORT: anything else stops with a sentence, where listen() threw a RangeError and a trace. */
function portNumber(text) {
  if (/^\d{1,5}$/.test(text) && Number(text) < 65536) return Number(text);
  console.error(`[serve] "${text}" is not a port: give -p (or PORT) a number from 0 to 65535.`);
  process.exit(1);
}

/** `next start`'s options this project uses; PORT, then 3000, when -p is not given. */
export function parseServeArgs(argv, env = process.env) {
  const value = (...names) => {
    const i = argv.findIndex((a) => names.includes(a));
    return i === -1 ? undefined : argv[i + 1];
  };
  const keepAlive = value('--keepAliveTimeout');
  return {
    port: portNumber(value('-p', '--port') ?? env.PORT ?? '3000'),
    hostname: value('-H', '--hostname'),
    keepAliveTimeout: keepAlive === undefined ? undefined : Number(keepAlive),
  };
}

/** Next.js's custom-server app (loaded only when a server starts: importing this file for its helpers stays cheap). */
async function nextApp(options) {
  const { default: next } = await import('next');
  return next(options);
}

/**
 * Starts the server in `dir` (the built app); resolves with it once it listens and Next.js is ready. `createApp` is
 * Next.js unless a test stands in for it: a module mock of `next` is not reliable in a worker that other files
 * already loaded Next.js into (vitest.config.mts `isolate: false`).
 */
export async function serve({ dir = process.cwd(), port, hostname, keepAliveTimeout, createApp = nextApp }) {
  process.env.NODE_ENV = 'production';
  // This server drains the pipeline itself on SIGTERM/SIGINT (stopWhenSignalled): lib/cdp/runtime/start.ts leaves
  // the signals to it.
  globalThis[SERVER_DRAINS] = true;
  process.env.NEXT_TELEMETRY_DISABLED ??= '1';
  // As `next start -p`: the app reads PORT for APP_URL's default (lib/env.ts), i.e. the printed console URL, the
  // server tracker's target and email links; without it, `-p 4000` sent them all to :3000.
  process.env.PORT = String(port);
  const app = await createApp({ dev: false, dir, port, hostname });
  const handle = app.getRequestHandler();
  const toNext = (req, res) => {
    // A path that does not decode (/products/%ZZ) is taken as typed: without -H (npm start), Next.js answers it with
    // a bare 500 even after proxy.ts's rewrite (lib/common/url-path.mjs); repaired here, it is an unknown id, a 404.
    const query = req.url.indexOf('?');
    const repaired = escapeUndecodablePath(query === -1 ? req.url : req.url.slice(0, query));
    if (repaired !== null) req.url = repaired + (query === -1 ? '' : req.url.slice(query));
    return handle(req, res).catch((error) => {
      // As `next start` answers a request its handler throws on, logged without the query: a sign-in link's holds
      // the console's token (/ops?token=…), and a log is no place for it.
      console.error(`Failed to handle request for ${req.url.split('?')[0]}`, error);
      if (!res.headersSent) res.statusCode = 500;
      res.end('Internal Server Error');
    });
  };
  await app.prepare();
  // instrumentation.ts's register() publishes the ingest handlers once the pipeline has started, which Next may do
  // after prepare(): until then (and for good with a build that publishes none) Next.js serves the ingest too.
  let fastPath = null;
  let endpoints;
  const address = { hostname: hostname ?? 'localhost', port };
  const server = http.createServer((req, res) => {
    if (!fastPath && (fastPath = publishedFastPath())) endpoints = new Set(fastPath.endpoints);
    const endpoint = fastPath && fastPathEndpoint(fastPath, req, endpoints);
    if (endpoint) void answerIngest(fastPath, endpoint, req, res, address);
    else void toNext(req, res);
  });
  // Next's request handler adds its upgrade listener to this server on the first request, as with `next start`.
  if (keepAliveTimeout) server.keepAliveTimeout = keepAliveTimeout;
  // As `next start`: a server that cannot listen (the port taken) or fails later says why and exits.
  server.on('error', (error) => {
    console.error('[serve] The server failed:', error);
    process.exit(1);
  });
  await new Promise((resolve) => server.listen(port, hostname, resolve));
  console.log(
    `[serve] http://${hostname ?? 'localhost'}:${port}: Next.js, with the ingest API answered before it once the ` +
      'pipeline has started (Next\'s warning about "output: standalone" is about deploys: those run ' +
      '`node .next/standalone/server.js`, README "Deploy").',
  );
  stopWhenSignalled(server, app);
  return server;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await serve(parseServeArgs(process.argv.slice(2)));
}
