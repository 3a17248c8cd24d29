import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DB } from '@/lib/db';
import { serializableTransaction } from '@/lib/db/transaction';
import { commitSealedLater } from '@/lib/db/wal-sync';
import { withLease } from '@/lib/db/leases';
import { freshDatabaseUrl } from '../support/database';

const opened: DB[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});

describe('SQLite durability', () => {
  it('opens a file with synchronous=FULL, also when it is already in WAL mode (every start but the first)', async () => {
    const url = await freshDatabaseUrl();
    for (let start = 0; start < 2; start++) {
      const db = await openDatabase(url);
      opened.push(db);
      // 2 = FULL: the WAL is fsynced at every commit, so an answered request survives a power loss.
      expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows).toEqual([{ synchronous: 2 }]);
      await opened.pop()!.destroy();
    }
  });
});

/** Opens a file database and records each flush of its WAL (the path flushed), each taking 30 ms. */
async function withFlushSpy() {
  const url = await freshDatabaseUrl();
  const db = await openDatabase(url);
  opened.push(db);
  const wal = `${url.replace(/^file:/, '')}-wal`;
  // FileHandle is not exported: its prototype comes from a handle.
  const probe = await fs.promises.open(wal, 'r');
  const proto = Object.getPrototypeOf(probe) as { datasync(): Promise<void> };
  await probe.close();
  const flushed: string[] = [];
  const original = proto.datasync;
  const spy = vi.spyOn(proto, 'datasync').mockImplementation(async function (this: fs.promises.FileHandle) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    await original.call(this);
    flushed.push(fs.readlinkSync(`/proc/self/fd/${this.fd}`));
  });
  return { db, flushed, wal: fs.realpathSync(wal), restore: () => spy.mockRestore() };
}

const insertAndReadSynchronous = async (trx: DB) => {
  await trx.insertInto('cdp_suppressions').values({ user_id: 'u-1', suppressed_at: 'now' }).execute();
  return (await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0]!.synchronous;
};

describe('a serializable transaction on a SQLite file (group commit, lib/db/wal-sync.ts)', () => {
  it('commits without fsync in the commit, answers only after the WAL is flushed, and leaves FULL on', async () => {
    const { db, flushed, wal, restore } = await withFlushSpy();
    try {
      // 1 = NORMAL for the commit itself; the flush had ended when the transaction resolved.
      expect(await serializableTransaction(db, insertAndReadSynchronous)).toBe(1);
      expect(flushed).toEqual([wal]);
      await expect(
        serializableTransaction(db, async () => {
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
    } finally {
      restore();
    }
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows).toEqual([{ synchronous: 2 }]);
  });

  it('flushes for a handle another copy of the module opened (Next bundles instrumentation and routes apart)', async () => {
    const { db, flushed, wal, restore } = await withFlushSpy();
    vi.resetModules();
    const other = await import('@/lib/db/transaction');
    try {
      expect(other.serializableTransaction).not.toBe(serializableTransaction);
      expect(await other.serializableTransaction(db, insertAndReadSynchronous)).toBe(1);
      expect(flushed).toEqual([wal]);
    } finally {
      restore();
    }
  });
});

describe('a commit a later one seals (a journey pass slice, lib/db/wal-sync.ts commitSealedLater)', () => {
  it('commits with NORMAL, waits for no flush, leaves FULL on; the sealing FULL commit makes both durable', async () => {
    const { db, flushed, restore } = await withFlushSpy();
    try {
      expect(await commitSealedLater(db, (conn) => conn.transaction().execute(insertAndReadSynchronous))).toBe(1);
      expect(flushed).toEqual([]);
    } finally {
      restore();
    }
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows).toEqual([{ synchronous: 2 }]);
  });
});

describe("a lease's writes (lib/db/leases.ts)", () => {
  // Instances sharing a SQLite file share its machine: a power cut that takes a lease write back has stopped every
  // holder too, so the claim and the release need no fsync, which blocked the event loop twice per journey pass.
  it('claim and release commit with NORMAL and leave FULL on, with no flush to wait for', async () => {
    const { db, flushed, restore } = await withFlushSpy();
    const statements: string[] = [];
    // Every statement better-sqlite3 runs, by its SQL: the prototype all statements share.
    type Method = (this: { source: string }, ...args: unknown[]) => unknown;
    const probe = new SQLite(':memory:');
    const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, Method>;
    probe.close();
    const originals = (['run', 'all', 'get'] as const).map((name) => [name, proto[name]!] as const);
    for (const [name, original] of originals)
      proto[name] = function (...args) {
        statements.push(this.source.replace(/\s+/g, ' ').trim());
        return original.apply(this, args);
      };
    try {
      await withLease(db, 'pass', async () => {
        statements.push('work');
      });
    } finally {
      for (const [name, original] of originals) proto[name] = original;
      restore();
    }
    const leaseWrites = statements.flatMap((s, i) => (/job_leases/.test(s) ? [i] : []));
    expect(leaseWrites).toHaveLength(2);
    for (const i of leaseWrites) {
      expect(statements[i - 1]).toBe('pragma synchronous = normal');
      expect(statements[i + 1]).toBe('pragma synchronous = full');
    }
    expect(statements.indexOf('work')).toBeGreaterThan(leaseWrites[0]!);
    expect(flushed).toEqual([]);
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows).toEqual([{ synchronous: 2 }]);
  });
});
