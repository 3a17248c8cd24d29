// A load balancer for the two-instance e2e run: each request goes to the next instance in turn, so every
// shopper's page loads, server actions and tracking calls are spread across both. The Host header is passed
// through, as a real balancer does. PORT: where to listen; TARGETS: comma-separated base URLs; KEEP_ALIVE_MS: how
// long an idle connection stays open.
import http from 'node:http';

const targets = (process.env.TARGETS ?? '').split(',').map((t) => new URL(t));
let next = 0;

const balancer = http.createServer((req, res) => {
  const target = targets[next++ % targets.length];
  const upstream = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`upstream ${target.host} failed: ${error.message}`);
  });
  req.pipe(upstream);
});
// The e2e suite keeps idle connections open longer than any test, as its app servers do (E2E_KEEP_ALIVE_MS in
// pipeline-server.ts): Playwright reuses a pooled connection however long it was idle.
balancer.keepAliveTimeout = Number(process.env.KEEP_ALIVE_MS ?? 5_000);
balancer.listen(Number(process.env.PORT), '127.0.0.1');
