import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer } from './support/server';

/**
 * The ingest rate limit through the real HTTP stack (lib/cdp/ingest/rate-limit.ts): a production server with
 * CDP_RATE_LIMIT=3 (30 calls per address in 10 s). The address is the socket's: forwarding headers a client sends
 * are dropped by proxy.ts, so rotating them does not make a new address, while a real second address
 * (127.0.0.2, also loopback) has its own count.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-rate-'));
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer(path.join(dir, 'rate.db'), { CDP_RATE_LIMIT: '3' });
});
afterAll(() => {
  server?.child.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
});

type Answer = { status: number; retryAfter: string | undefined; body: { success?: boolean; error?: string } };
function post(body: unknown, headers: Record<string, string> = {}, localAddress = '127.0.0.1'): Promise<Answer> {
  const url = new URL('/api/cdp/v1/t', server.origin);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'text/plain', ...headers } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            retryAfter: response.headers['retry-after'] as string | undefined,
            body: JSON.parse(text),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}
const call = (writeKey: string) => ({
  type: 'track',
  event: 'Product Viewed',
  anonymousId: 'rate-limit-visitor',
  messageId: crypto.randomUUID(),
  writeKey,
});

it('answers 429 with Retry-After past the limit, whatever X-Forwarded-For says; others go on', async () => {
  const key = server.env.CDP_WRITE_KEY;
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++)
    statuses.push(
      (await post(call(key), { 'x-forwarded-for': `198.51.100.${i}`, 'x-real-ip': `198.51.100.${i}` })).status,
    );
  expect(statuses).toEqual(Array(30).fill(200));

  const refused = await post(call(key), { 'x-forwarded-for': '198.51.100.200' });
  expect(refused.status).toBe(429);
  expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(refused.retryAfter)).toBeLessThanOrEqual(10);
  expect(refused.body.error).toMatch(/^Too many calls from this address: at most 30 in 10 s/);

  // Another address, and the shop's own server (the server key in Basic auth, as the node SDK sends it).
  expect((await post(call(key), {}, '127.0.0.2')).status).toBe(200);
  const serverKey = `Basic ${Buffer.from(`${server.env.CDP_SERVER_WRITE_KEY}:`).toString('base64')}`;
  expect((await post(call(server.env.CDP_SERVER_WRITE_KEY!), { authorization: serverKey })).status).toBe(200);

  // Once the window has passed, the address may send again.
  await new Promise((resolve) => setTimeout(resolve, Number(refused.retryAfter) * 1000 + 100));
  expect((await post(call(key))).status).toBe(200);
});
