import fs from 'node:fs/promises';
import { CompiledQuery } from 'kysely';
import { processState } from '@/lib/common/process-state';
import type { DB } from './index';

/**
 * Group commit for a SQLite file in WAL mode. With `synchronous = FULL` every commit fsyncs the WAL inside the
 * commit, and better-sqlite3 is synchronous: the event loop (every other request) waited 1.5–4 ms per commit on
 * this machine's disk, a fifth of the ingest's wall time (issue 13). A transaction run with `commitThenSync` commits
 * with `synchronous = NORMAL` (the WAL is written, not fsynced) and its caller resumes only once an fdatasync of the
 * WAL, run in libuv's thread pool, has covered that commit: as durable when it resolves as a FULL commit, while
 * other requests run meanwhile, and commits that land during one flush share the next.
 *
 * Why this covers the commit: in WAL mode a commit only appends frames to the WAL, and fdatasync writes all of the
 * file's data to disk whoever wrote it. Frames a checkpoint copied out and a WAL restart then overwrote are already
 * in the database file, which a checkpoint fsyncs before the WAL can start over (SQLite's NORMAL rules).
 * Meanwhile the rows are visible to other readers before they are on disk (as in any NORMAL commit); nothing is
 * answered or acted on for this transaction before the flush.
 */
export type WalSync = {
  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void>;
  close(): Promise<void>;
};

/** What the connection is set back to after a relaxed commit: what openSqlite sets (see lib/db/index.ts). */
export const DURABLE_SYNCHRONOUS = 'full';

/**
 * Flushes come from `flush` (tests inject one). A flush already running may have started before the caller's
 * commit, so the caller waits for the next one, which starts when the running one ends and serves everyone
 * who asked meanwhile.
 */
export function createWalSync(walFile: string, flush: Flush = datasyncOf(walFile)): WalSync {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = () => {
    running = flush().finally(() => {
      running = undefined;
    });
    return running;
  };
  return {
    sync() {
      if (!running) return start();
      next ??= running
        .catch(() => undefined)
        .then(() => {
          next = undefined;
          return start();
        });
      return next;
    },
    async close() {
      await flush.close?.();
    },
  };
}

export type Flush = (() => Promise<void>) & { close?: () => Promise<void> };

/** fdatasync of the WAL through one handle, opened on first use (the WAL exists once the database is in WAL mode). */
function datasyncOf(walFile: string): Flush {
  let handle: Promise<fs.FileHandle> | undefined;
  const flush: Flush = async () => {
    handle ??= fs.open(walFile, 'r').catch((error: unknown) => {
      handle = undefined;
      throw error;
    });
    await (await handle).datasync();
  };
  flush.close = async () => {
    const open = handle;
    handle = undefined;
    await (await open?.catch(() => undefined))?.close();
  };
  return flush;
}

// On globalThis: the handle is opened by whichever bundle asks first (instrumentation.ts or a route handler), and
// each bundle has its own copy of this module; a module-level map would hide the flusher from the others.
const holder = processState<{ __walSyncs: WeakMap<object, WalSync> }>({ __walSyncs: null });
const syncs = () => (holder.__walSyncs ??= new WeakMap());

/** Gives a SQLite file database's handle its WAL flusher (lib/db/index.ts openSqlite). */
export function attachWalSync(db: DB, wal: WalSync) {
  syncs().set(db, wal);
}

// Compiled once: they run around every relaxed commit (each single-call ingest request).
const RELAX = CompiledQuery.raw('pragma synchronous = normal');
const RESTORE = CompiledQuery.raw(`pragma synchronous = ${DURABLE_SYNCHRONOUS}`);

/** Runs `commitWork` on one connection with `synchronous = NORMAL`, FULL again once it is done. */
async function relaxed<T>(db: DB, commitWork: (db: DB) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await conn.executeQuery(RELAX);
    try {
      return await commitWork(conn);
    } finally {
      await conn.executeQuery(RESTORE);
    }
  });
}

/**
 * Runs `commitWork` (which runs one transaction) on one connection with `synchronous = NORMAL`, then restores
 * FULL and waits for the WAL flush that covers the commit. Without a flusher (PostgreSQL, `:memory:`, a
 * transaction's handle), runs it as it is.
 */
export async function commitThenSync<T>(db: DB, commitWork: (db: DB) => Promise<T>): Promise<T> {
  const wal = syncs().get(db);
  if (!wal) return commitWork(db);
  const result = await relaxed(db, commitWork);
  await wal.sync();
  return result;
}

/**
 * For a step of work that a later commit of the same caller seals, and that is simply redone if that commit never
 * happens (a journey pass's slices, sealed by its cursor): commits with `synchronous = NORMAL` and does not wait for
 * the disk. In WAL mode commits are appended in order, so the sealing FULL commit's fsync covers every frame before
 * it (and frames a checkpoint already copied are in the database file, which the checkpoint synced).
 */
export async function commitSealedLater<T>(db: DB, commitWork: (db: DB) => Promise<T>): Promise<T> {
  return syncs().has(db) ? relaxed(db, commitWork) : commitWork(db);
}
