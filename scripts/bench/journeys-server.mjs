// A production server (scripts/serve.mjs, the existing build) on its own SQLite file, manual pipeline clock: what the
// journeys benchmark measures GET / against while a pass runs, and what the shutdown test sends SIGTERM to.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePortSync } from '../free-port.mjs';
import { SERVER_SCRIPT } from '../next-build.mjs';

// The repository root: where `npm run bench` and the test runners start (no import.meta: Playwright loads this
// module as CommonJS).
const ROOT = process.cwd();
export const OPS_TOKEN = 'bench-ops-token-0123456789';
export const SERVER_WRITE_KEY = 'bench-server-write-key-0123456789';

/**
 * Starts the server on a fresh database file and waits until it answers; `dbFile` is where to fill data. `env`:
 * variables on top of these (the shutdown spec's Customer.io stand-in). `standalone`: Next's own server of the
 * build, `.next/standalone/server.js` (README "Deploy"), run in place, instead of scripts/serve.mjs.
 */
export async function startServer({ timeoutMs = 120_000, env = {}, standalone = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-journeys-'));
  const dbFile = path.join(dir, 'shop.db');
  const port = freePortSync();
  const url = `http://127.0.0.1:${port}`;
  const [script, args, cwd] = standalone
    ? ['server.js', [], path.join(ROOT, '.next/standalone')]
    : [SERVER_SCRIPT, ['-p', String(port), '-H', '127.0.0.1'], ROOT];
  const child = spawn(process.execPath, [script, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // What server.js listens on (scripts/serve.mjs takes -p and -H).
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: `file:${dbFile}`,
      APP_URL: url,
      CDP_CLOCK: 'manual',
      CDP_SCHEDULER: 'off',
      OPS_TOKEN,
      CDP_SERVER_WRITE_KEY: SERVER_WRITE_KEY,
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited before answering:\n${output}`);
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer within ${timeoutMs} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dbFile,
    child,
    exited,
    output: () => output,
    /** POST /api/ops/journeys/run: one pass at the manual clock's time. */
    runPass: () =>
      fetch(`${url}/api/ops/journeys/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPS_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
