// A production server of this build for benchmarks: scripts/serve.mjs (what `npm start` runs) on a free loopback port with its own fresh
// database in a temporary folder, the scheduler off (no background passes in the measurement) and known keys.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePortSync } from '../../free-port.mjs';
import { SERVER_SCRIPT } from '../../next-build.mjs';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BENCH_KEYS = {
  browser: 'bench-browser-write-key',
  server: 'bench-server-write-key-0123456789',
  ops: 'bench-ops-token-0123456789',
};

/**
 * Starts the server and waits until it answers. `nodeArgs` go to node itself (e.g. `--cpu-prof`). Returns its
 * origin, the database file, the server's CPU seconds so far (from /proc, Linux only) and stop().
 */
export async function startServer({ env = {}, nodeArgs = [] } = {}) {
  if (!fs.existsSync(path.join(ROOT, '.next/BUILD_ID'))) throw new Error('No production build: run `npx next build`');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-bench-'));
  const database = path.join(dir, 'bench.db');
  const port = freePortSync();
  const log = path.join(dir, 'server.log');
  const out = fs.openSync(log, 'a');
  const child = spawn(process.execPath, [...nodeArgs, SERVER_SCRIPT, '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: `file:${database}`,
      CDP_WRITE_KEY: BENCH_KEYS.browser,
      CDP_SERVER_WRITE_KEY: BENCH_KEYS.server,
      OPS_TOKEN: BENCH_KEYS.ops,
      CDP_SCHEDULER: 'off',
      // Every sender is on 127.0.0.1: the bench measures what the pipeline can take, not one address's share.
      CDP_RATE_LIMIT: 'off',
      APP_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
  });
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    fs.closeSync(out);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`${origin}/api/ops/clock`, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, database, dir, pid: child.pid, cpuSeconds: () => processCpuSeconds(child.pid), stop };
}

async function waitUntilServing(url, child, log) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The server exited (${child.exitCode}) before serving:\n${fs.readFileSync(log, 'utf8')}`);
    }
    // Any HTTP answer means it is up (the ops API answers 401 without the token).
    const up = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The server did not answer ${url} within 120 s`);
}

/** user + system CPU of a process in seconds (Linux /proc); undefined elsewhere. */
export function processCpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
