import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { DB } from '@/lib/db';
import type { ForwardTarget } from '@/lib/cdp/forward/deliver';
import { freshDb } from './support';

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
      // A request without a batch (a GET after a followed redirect) is recorded with none.
      const batch = (raw.length ? JSON.parse(raw.toString('utf8')).batch : []) as Received['batch'];
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

/**
 * The forwarding suites' setup: one fake upstream for the file (started before, stopped after), and for each test
 * a fresh database and an upstream with nothing received. Read `db` and `target` inside tests (they change).
 * Not named `use…`: the React hooks lint rule forbids calling such a function at a file's top level.
 */
export function withFakeUpstream() {
  const upstream = fakeUpstream();
  let target: ForwardTarget | undefined;
  let db: DB | undefined;
  beforeAll(async () => {
    target = { url: `${await upstream.start()}/v1/batch`, writeKey: 'cio-key' };
  });
  afterAll(() => upstream.stop());
  beforeEach(async () => {
    db = await freshDb();
    upstream.reset();
  });
  return {
    upstream,
    get db(): DB {
      if (!db) throw new Error('withFakeUpstream: the database exists from beforeEach on');
      return db;
    },
    get target(): ForwardTarget {
      if (!target) throw new Error('withFakeUpstream: the upstream runs from beforeAll on');
      return target;
    },
  };
}
