import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';

/**
 * A stand-in for the pipeline the shop's real server tracker posts to (APP_URL), for one test file: `answer` gets
 * each request's body and answers it. `env` is set (with APP_URL) before the file's tests and the environment
 * restored after them.
 */
export function pipelineStandIn(
  env: Record<string, string>,
  answer: (body: string, res: http.ServerResponse) => void,
): void {
  let server: http.Server;
  const saved = { ...process.env };
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => answer(body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, env, { APP_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    resetEnvCache();
  });
  afterAll(async () => {
    process.env = { ...saved };
    resetEnvCache();
    vi.doUnmock('next/headers');
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

/** An Added to Cart (one niacinamide serum) as the shop mirrors it, for the suites that post through the stand-in. */
export const ADDED_SERUM = {
  added: { sku: 'GL-SER-NIA-30', variant_id: 'gid://glowlab/ProductVariant/ser-nia-30', quantity: 1 },
  items: [],
  cart_value: 0,
  item_count: 0,
  currency: 'USD' as const,
};
