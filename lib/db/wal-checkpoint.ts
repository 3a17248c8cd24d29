import type { Database as SQLiteDatabase } from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/** SQLite's own auto-checkpoint threshold (pages), restored when the worker is not there to checkpoint. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

export type CheckpointOptions = {
  /** Wait before starting the worker: a database opened and closed at once (a test) never starts a thread. */
  startAfterMs?: number;
  /** How often the worker runs a PASSIVE checkpoint. */
  intervalMs?: number;
  /**
   * The app connection's own auto-checkpoint while the worker runs: a safety net, not the usual path. Under writes
   * that never pause, a checkpoint in another connection never finds the WAL fully copied at a moment the writer
   * could rewind it, so it would only grow; at this many frames a commit checkpoints what the worker has not copied
   * yet (little) and the WAL starts over. (A TRUNCATE from the worker instead holds the write lock while it waits
   * for readers: measured, it stalled requests for seconds.)
   */
  safetyNetFrames?: number;
};

// Measured (issue 13, `/b` at 32 senders, 3 interleaved bench runs): 200 ms and 4,000 frames left the serving
// connection copying a fifth of a second's frames, and fsyncing the database, inside a commit about once a second
// (7,000-7,700 events/s); every 50 ms and past 16,000 frames (~64 MB), 9,300-9,900 events/s, p99 250-310 ms (was 340-350).
const DEFAULTS: Required<CheckpointOptions> = { startAfterMs: 1_000, intervalMs: 50, safetyNetFrames: 16_000 };

export type CheckpointStats = {
  /** `starting` (SQLite's auto-checkpoint meanwhile), `running`, `fallback` (worker gone: auto-checkpoint), `stopped`. */
  state: 'starting' | 'running' | 'fallback' | 'stopped';
  /** The worker's checkpoints that copied pages. */
  checkpoints: number;
  /** Frames in the WAL and frames copied at the last checkpoint that did work (SQLite's wal_checkpoint result). */
  lastLog: number;
  lastCheckpointed: number;
};

export type WalCheckpointer = { stats(): CheckpointStats; stop(): void };

// The worker's code, evaluated (not a file): nothing for the bundler to trace or lose, so it runs the same under
// `next start`, .next/standalone and vitest. better-sqlite3 is an external package (next.config.ts), so it
// resolves from node_modules beside the working directory exactly as the app's own require does.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require('better-sqlite3');
const { file, intervalMs, done } = workerData;
const db = new SQLite(file);
const flag = new Int32Array(done);
const tick = () => {
  const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
  if (checkpointed > 0) parentPort.postMessage({ kind: 'checkpoint', log, checkpointed });
};
const timer = setInterval(tick, intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  parentPort.close();
});
parentPort.postMessage({ kind: 'ready' });
`;

const active = new Set<WalCheckpointer>();

/** The checkpointers of open file databases, for tests and diagnostics (closing a database removes its own). */
export function activeCheckpointers(): CheckpointStats[] {
  return [...active].map((c) => c.stats());
}

let warned = false;

/**
 * Runs the WAL checkpoints of a file database in a worker thread with its own connection, instead of inside
 * a commit of `sqlite` (better-sqlite3 is synchronous: an auto-checkpoint stalls the event loop for every request
 * waiting on it, issue 13). Until the worker is ready, and again if it dies, SQLite's auto-checkpoint stays on,
 * so the WAL never grows unbounded. A checkpoint only copies committed pages: durability is unchanged.
 * `stop()` (called when the database closes) closes the worker's connection before returning.
 */
export function startWalCheckpointer(
  sqlite: SQLiteDatabase,
  file: string,
  options: CheckpointOptions = {},
): WalCheckpointer {
  const { startAfterMs, intervalMs, safetyNetFrames } = { ...DEFAULTS, ...options };
  const stats: CheckpointStats = { state: 'starting', checkpoints: 0, lastLog: 0, lastCheckpointed: 0 };
  let worker: Worker | undefined;
  const done = new SharedArrayBuffer(4);

  const fallBack = (why: string) => {
    if (stats.state === 'stopped' || stats.state === 'fallback') return;
    stats.state = 'fallback';
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    if (!warned) console.warn(`[db] WAL checkpoint worker unavailable (${why}); SQLite checkpoints in commits`);
    warned = true;
  };

  const start = () => {
    if (stats.state !== 'starting') return;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, done } });
    } catch (error) {
      return fallBack((error as Error).message);
    }
    // The thread never keeps the process (or a test run) alive on its own.
    worker.unref();
    worker.on('message', (message: { kind: string; log?: number; checkpointed?: number }) => {
      if (message.kind === 'ready') {
        if (stats.state !== 'starting') return;
        stats.state = 'running';
        sqlite.pragma(`wal_autocheckpoint = ${safetyNetFrames}`);
        return;
      }
      stats.checkpoints++;
      stats.lastLog = message.log!;
      stats.lastCheckpointed = message.checkpointed!;
    });
    worker.on('error', (error) => fallBack(error.message));
    worker.on('exit', (code) => fallBack(`exited with code ${code}`));
  };
  const timer = setTimeout(start, startAfterMs);
  timer.unref();

  const checkpointer: WalCheckpointer = {
    stats: () => ({ ...stats }),
    stop() {
      clearTimeout(timer);
      active.delete(checkpointer);
      const running = worker && stats.state !== 'fallback';
      stats.state = 'stopped';
      if (!worker) return;
      if (running) {
        worker.postMessage('stop');
        // Wait (bounded) for the worker to close its connection, so the app's close is the last one and
        // checkpoints and removes the WAL as it always has.
        Atomics.wait(new Int32Array(done), 0, 0, 2_000);
      }
      void worker.terminate();
    },
  };
  active.add(checkpointer);
  return checkpointer;
}
