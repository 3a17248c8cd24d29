import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortSync } from '../../../scripts/free-port.mjs';

// scripts/serve.mjs hands Next.js a path whose percent escapes do not decode with its `%` escaped (the route gets the
// text as typed: an unknown id, a 404). Run in place without -H (what `npm start` does), Next.js answered such a
// path with a bare 500 even after proxy.ts's rewrite. A stand-in Next.js records the URL it is given.
const given: string[] = [];
const standIn = () => ({
  getRequestHandler: () => async (req: IncomingMessage, res: ServerResponse) => {
    given.push(req.url!);
    res.end('ok');
  },
  prepare: async () => undefined,
  close: async () => undefined,
});

let server: { close(): void };
let origin: string;
// serve() sets NODE_ENV and listens for SIGINT/SIGTERM, as a server process should; this worker runs other files.
const nodeEnv = process.env.NODE_ENV;
const signals = ['SIGINT', 'SIGTERM'] as const;
const listenersBefore = new Map(signals.map((s) => [s, process.listeners(s)]));
beforeAll(async () => {
  const { serve } = await import('../../../scripts/serve.mjs');
  const port = freePortSync();
  server = await serve({ port, hostname: '127.0.0.1', createApp: standIn });
  origin = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.close();
  Object.assign(process.env, { NODE_ENV: nodeEnv });
  for (const s of signals)
    for (const l of process.listeners(s)) if (!listenersBefore.get(s)!.includes(l)) process.off(s, l);
});

describe('scripts/serve.mjs before Next.js', () => {
  it('escapes the % of each segment that does not decode, query and all, and leaves the others as sent', async () => {
    const cases = {
      '/products/%ZZ': '/products/%25ZZ',
      '/api/ops/people/%E0%A4%A/timeline?limit=5&q=%ZZ': '/api/ops/people/%25E0%25A4%25A/timeline?limit=5&q=%ZZ',
      '/cart/restore/%': '/cart/restore/%25',
      '/products/gentle-gel-cleanser?variant=x': '/products/gentle-gel-cleanser?variant=x',
      '/ops/people/cus_%C3%A9': '/ops/people/cus_%C3%A9',
    };
    for (const [sent, expected] of Object.entries(cases)) {
      given.length = 0;
      expect(await (await fetch(origin + sent)).text()).toBe('ok');
      expect([sent, given]).toEqual([sent, [expected]]);
    }
  });
});
