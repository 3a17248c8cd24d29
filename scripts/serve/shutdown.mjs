// scripts/serve.mjs on SIGTERM/SIGINT: a graceful drain within SHUTDOWN_TIMEOUT_MS (README "Deploy"). The pipeline's
// half (lib/cdp/runtime/shutdown.ts) is published on globalThis by instrumentation.ts: this server runs outside
// Next's bundle.
import { settleBy } from '../../lib/common/deadline.mjs';

/** The slot lib/cdp/runtime/shutdown.ts fills (its SHUTDOWN), and the mark that this server drains (SERVER_DRAINS). */
export const SHUTDOWN = Symbol.for('glowlab.shutdown.v1');
export const SERVER_DRAINS = Symbol.for('glowlab.server-drains.v1');

/** Without a published drain (a build without one, a test's stand-in app): SHUTDOWN_TIMEOUT_MS's default. */
const DEFAULT_TIMEOUT_MS = 8_000;
/** While closing, connections that went idle after their last request are closed this often. */
const IDLE_SWEEP_MS = 100;

function publishedShutdown() {
  const slot = globalThis[SHUTDOWN];
  return slot && typeof slot.drain === 'function' ? slot : null;
}

/** Whether `promise` settled (resolved or rejected) before `deadline` (epoch ms). */
const settledBy = (promise, deadline) =>
  settleBy(
    promise.then(
      () => true,
      () => true,
    ),
    deadline,
    false,
  );

/**
 * On SIGTERM or SIGINT: stop accepting connections, and at the same time drain the pipeline (no new background
 * work, passes in flight finish or hand back their claims); requests in flight finish. Then Next.js and the
 * database close, and the process exits 0, or 1 naming what the deadline cut short. `server` is node's HTTP server,
 * `app` Next's (or a stand-in); `exit` is process.exit unless a test stands in for it.
 */
export function stopWhenSignalled(server, app, { exit = process.exit } = {}) {
  let stopping = false;
  const stop = async (signal) => {
    // npm and shells send Ctrl+C's SIGINT twice: the first one decides.
    if (stopping) return;
    stopping = true;
    const shutdown = publishedShutdown();
    const timeoutMs = shutdown?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const startedAt = Date.now();
    const deadline = startedAt + timeoutMs;
    // Next.js and the database close in the last stretch, once requests and passes are done.
    const closingAt = deadline - Math.min(1_000, timeoutMs / 4);
    console.log(`[serve] ${signal}: finishing requests and background passes (at most ${timeoutMs} ms)…`);
    const closed = new Promise((resolve) => server.close(resolve));
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const [drained, requestsDone] = await Promise.all([
      shutdown ? shutdown.drain(closingAt) : { settled: true, running: 0, abandoned: false },
      settledBy(closed, closingAt),
    ]);
    clearInterval(sweep);
    if (!requestsDone) server.closeAllConnections();
    const nextClosed = await settledBy(
      Promise.resolve().then(() => app.close()),
      deadline,
    );
    const databaseClosed = shutdown ? await shutdown.closeDatabase(deadline) : true;

    const cut = [
      !drained.settled &&
        `${drained.running} background pass(es) still running (rows they claimed wait out their 5-minute claim)`,
      !requestsDone && 'requests still in flight (their connections were closed)',
      !nextClosed && 'Next.js not closed',
      !databaseClosed && 'the database not closed',
    ].filter(Boolean);
    const took = `${Date.now() - startedAt} ms`;
    if (!cut.length) {
      const passes = drained.abandoned
        ? 'background passes stopped (one still waiting on an answer was abandoned: what it had claimed is handed back)'
        : 'background passes finished';
      console.log(`[serve] stopped in ${took}: requests done, ${passes}, database closed.`);
      return exit(0);
    }
    console.error(`[serve] stopped after ${took} (SHUTDOWN_TIMEOUT_MS ${timeoutMs}) with ${cut.join('; ')}.`);
    return exit(1);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
