import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortSync } from '../../../scripts/free-port.mjs';

// scripts/serve.mjs hands Next.js a path whose percent escapes do not decode with its `%` escaped (the route gets the
// text as typed: an unknown id, a 404). Run in place without -H (what `npm start` does), Next.js answered such a
// path with a bare 500 even after proxy.ts's rewrite. A stand-in Next.js answers with the URL it is given.
// In a process of its own: serve() sets NODE_ENV and signal listeners, as a server process should, and this worker
// runs other files (vitest.config.mts `isolate: false`).
const serveModule = fileURLToPath(new URL('../../../scripts/serve.mjs', import.meta.url));
const standIn = `
  const { serve } = await import(process.argv[1]);
  const createApp = () => ({
    getRequestHandler: () => async (req, res) => res.setHeader('x-port-env', process.env.PORT).end(req.url),
    prepare: async () => undefined,
    close: async () => undefined,
  });
  await serve({ port: Number(process.argv[2]), hostname: '127.0.0.1', createApp });
  process.stdout.write('ready\\n');
`;

let child: ChildProcess;
let origin: string;
beforeAll(async () => {
  const port = freePortSync();
  origin = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--input-type=module', '-e', standIn, serveModule, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: '1' },
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  await Promise.race([
    new Promise<void>((resolve) => child.stdout!.on('data', () => out.includes('ready') && resolve())),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`serve.mjs exited (${code}): ${out}`))),
  ]);
});
afterAll(() => {
  child?.kill();
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
      expect([sent, await (await fetch(origin + sent)).text()]).toEqual([sent, expected]);
    }
  });

  it('sets PORT to the port it listens on, as `next start -p` does: APP_URL defaults to it (lib/env.ts)', async () => {
    const response = await fetch(`${origin}/`);
    expect(response.headers.get('x-port-env')).toBe(new URL(origin).port);
  });
});

describe('scripts/serve.mjs given something that is not a port', () => {
  it('stops with one sentence naming it, before loading Next.js', async () => {
    const run = spawn(process.execPath, [serveModule, '-p', 'abc'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    run.stderr!.on('data', (chunk) => (err += chunk));
    const [code] = await once(run, 'exit');
    expect(code).toBe(1);
    expect(err.trim()).toBe('[serve] "abc" is not a port: give -p (or PORT) a number from 0 to 65535.');
  });
});
