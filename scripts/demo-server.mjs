// `npm run demo`'s server, on a database of its own in a temporary folder that goes with it however the demo ends.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How long the server may take to finish after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

/**
 * Starts `node script ...args` (`env` on top of this process's) with DATABASE_URL in a new temporary folder
 * (`glowlab-demo-*`), and removes that folder when the demo ends: `stop(code)` (its success or failure), Ctrl+C,
 * SIGTERM or SIGHUP, the server failing, or an uncaught error. The server holds its database open there, so `stop`
 * stops it first and waits for it (SIGTERM, SIGKILL after 10 s). `beforeStop` closes what the demo opened (its
 * browser); `onServerFailed(code)` is told when the server exits with an error before anything stopped it.
 */
export function startDemoServer({
  script,
  args = [],
  env = {},
  beforeStop = async () => {},
  onServerFailed = () => {},
}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-demo-'));
  const server = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env, DATABASE_URL: `file:${path.join(dataDir, 'shop.db')}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const running = () => server.exitCode === null && server.signalCode === null;
  const removeDir = () => {
    try {
      fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    } catch (error) {
      console.error(`Could not remove the demo's temporary folder ${dataDir}: ${error.message}`);
    }
  };
  // The last resort (an uncaught error, a process.exit elsewhere) is synchronous: the server is killed, not awaited.
  process.on('exit', () => {
    if (running()) server.kill('SIGKILL');
    removeDir();
  });

  let stopping;
  const stop = (code) =>
    (stopping ??= (async () => {
      await Promise.resolve()
        .then(beforeStop)
        .catch(() => undefined);
      if (running()) {
        server.kill('SIGTERM');
        const kill = setTimeout(() => server.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(kill);
      }
      removeDir();
      process.exit(code);
    })());
  // Ctrl+C reaches the server too (one process group): it finishes on its own, and stop waits for it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(0));
  server.on('exit', (code) => {
    if (stopping || code === null || code === 0) return;
    onServerFailed(code);
    void stop(code);
  });
  return { dataDir, server, stop };
}
