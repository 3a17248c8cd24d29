import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Size of the body on the wire, in bytes. */
  bytes: number;
  batch: Array<Record<string, unknown>>;
};
export type Answer = { status: number; headers?: Record<string, string>; body?: string; hang?: boolean };

/**
 * A fake Customer.io on 127.0.0.1 (a real HTTP server on a free port): records every request and answers what
 * the test says, request by request (`answer`), or with the next status of `respondWith` (then 200).
 */
export function fakeUpstream() {
  const received: Received[] = [];
  let script: Array<number | Answer> = [];
  let handler: ((batch: Received['batch']) => Answer | number | undefined) | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const batch = JSON.parse(raw.toString('utf8')).batch as Received['batch'];
      const next = handler?.(batch) ?? script.shift() ?? 200;
      const answer = typeof next === 'number' ? { status: next } : next;
      received.push({ status: answer.status, headers: req.headers, bytes: raw.length, batch });
      if (answer.hang) return; // never answers: the client's timeout must fire
      res
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(answer.body ?? (answer.status === 200 ? '{"success":true}' : '{"error":"boom"}'));
    });
  });
  return {
    received,
    respondWith: (...answers: Array<number | Answer>) => (script = answers),
    answer: (fn: typeof handler) => (handler = fn),
    reset: () => {
      received.length = 0;
      script = [];
      handler = null;
    },
    /** messageIds in requests the upstream accepted, in the order they arrived. */
    accepted: () => received.filter((r) => r.status === 200).flatMap((r) => r.batch.map((e) => e.messageId)),
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
