import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Customer.io's batch API on 127.0.0.1 holding each batch until the test answers it (`answer`), recording the
 * messageIds of the batches it accepted: for tests of what a server does while a batch is on its way.
 */
export async function heldCustomerIo() {
  const accepted: string[] = [];
  const waiting: Array<(status: number) => void> = [];
  let arrived = () => {};
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      waiting.push((status) => {
        if (status === 200) accepted.push(...JSON.parse(body).batch.map((c: { messageId: string }) => c.messageId));
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
      arrived();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    /** CIO_API_HOST for it. */
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    /** Resolves once a batch is waiting for its answer. */
    batchArrived: () => new Promise<void>((resolve) => (waiting.length ? resolve() : (arrived = resolve))),
    /** Answers the oldest batch waiting. */
    answer: (status: number) => waiting.shift()!(status),
    stop: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}
