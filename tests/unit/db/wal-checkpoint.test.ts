import SQLite from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db';
import { activeCheckpointers, startWalCheckpointer, type WalCheckpointer } from '@/lib/db/wal-checkpoint';

const dirs: string[] = [];
const checkpointers: WalCheckpointer[] = [];
afterEach(() => {
  for (const c of checkpointers.splice(0)) c.stop();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-wal-'));
  dirs.push(dir);
  return path.join(dir, 'shop.db');
}

/** A WAL-mode connection as lib/db opens one, with a table of rows about a page (4 KB) each. */
function open(file: string) {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table t (id integer primary key, v text not null)');
  const insert = sqlite.prepare('insert into t (v) values (?)');
  const write = sqlite.transaction((rows: number) => {
    for (let i = 0; i < rows; i++) insert.run('x'.repeat(4_000));
  });
  return { sqlite, write };
}

const walBytes = (file: string) => (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!check()) throw new Error(`Timed out waiting until ${what}`);
}

describe('the WAL checkpoint worker', () => {
  it('checkpoints in its own thread while the connection checkpoints only past its safety net', async () => {
    const file = tempFile();
    const { sqlite, write } = open(file);
    const checkpointer = startWalCheckpointer(sqlite, file, { startAfterMs: 0, intervalMs: 20 });
    checkpointers.push(checkpointer);
    await until(() => checkpointer.stats().state === 'running', 'the worker is ready');
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(16_000);

    // About 2,000 pages (8 MB): SQLite alone would checkpoint at 1,000 in a commit; this connection only at 16,000.
    for (let i = 0; i < 20; i++) write(100);
    await until(() => checkpointer.stats().checkpoints > 0, 'the worker has checkpointed');
    expect(checkpointer.stats().lastCheckpointed).toBeGreaterThan(0);
    expect(sqlite.prepare('select count(*) as n from t').get()).toEqual({ n: 2_000 });
    sqlite.close();
  });

  it('keeps the WAL bounded under writes that never pause', async () => {
    const file = tempFile();
    const { sqlite, write } = open(file);
    const checkpointer = startWalCheckpointer(sqlite, file, { startAfterMs: 0, intervalMs: 10, safetyNetFrames: 500 });
    checkpointers.push(checkpointer);
    await until(() => checkpointer.stats().state === 'running', 'the worker is ready');
    let largest = 0;
    // Back-to-back transactions, yielding only so the worker's reports arrive: the WAL is never idle.
    for (let i = 0; i < 1_200; i++) {
      write(10);
      largest = Math.max(largest, walBytes(file));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(checkpointer.stats().checkpoints).toBeGreaterThan(0);
    // 12,000 rows ≈ 48 MB written, which a WAL only copied by another connection would hold all of. The bound, half
    // of that, leaves room for the worker getting no CPU for a while: the unit tests share the machine with the
    // build (a WAL of 9.4 MB was seen at load 3, 20.8 MB with three test workers beside two builds).
    expect(largest).toBeLessThan(24 * 1024 * 1024);
    sqlite.close();
  });

  it('leaves checkpoints to SQLite when the worker cannot start', async () => {
    const { sqlite } = open(tempFile());
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    // The worker's own connection cannot open this path, so the thread ends with an error.
    const checkpointer = startWalCheckpointer(sqlite, path.join(tempFile(), 'no', 'such.db'), { startAfterMs: 0 });
    checkpointers.push(checkpointer);
    await until(() => checkpointer.stats().state === 'fallback', 'the worker is gone');
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    sqlite.close();
  });

  it('runs for a file database opened by the app and stops, its connection closed, when the database closes', async () => {
    const file = tempFile();
    const db = await openDatabase(`file:${file}`);
    const memory = await openDatabase('file::memory:');
    expect(activeCheckpointers()).toHaveLength(1);
    await until(() => activeCheckpointers()[0]?.state === 'running', 'the worker is ready');
    await db.destroy();
    await memory.destroy();
    expect(activeCheckpointers()).toHaveLength(0);
    // The app's connection was the last one open: closing it checkpointed and removed the WAL, as without a worker.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });
});
