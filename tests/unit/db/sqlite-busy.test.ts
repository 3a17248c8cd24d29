import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '@/lib/db';
import { SQLITE_BUSY_TIMEOUT_MS } from '@/lib/db/dialect';
import { serializableTransaction } from '@/lib/db/transaction';
import { isDatabaseUnavailable } from '@/lib/db/unavailable';
import { freshDatabaseUrl } from '../support/database';

// Another process holding the file's write lock (a second server on the same file, a sqlite3 shell mid-transaction):
// a connection of its own, as that process would have.
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of opened.splice(0)) await handle.close();
});

async function lockedDatabase(): Promise<{ db: DB; holder: SQLite.Database }> {
  const url = await freshDatabaseUrl();
  const db = await openDatabase(url);
  opened.push({ close: () => db.destroy() });
  const holder = new SQLite(url.replace(/^file:/, ''));
  opened.unshift({ close: () => holder.close() });
  holder.exec('begin immediate');
  return { db, holder };
}

const deleteNobody = (trx: DB) => trx.deleteFrom('customers').where('id', '=', 'cus_nobody').execute();

describe('SQLite locked by another process', () => {
  it(
    'waits out the busy timeout once, then fails as "not answering" (a 503), not once per attempt',
    async () => {
      const { db } = await lockedDatabase();
      let attempts = 0;
      const write = serializableTransaction(db, async (trx) => {
        attempts++;
        await deleteNobody(trx);
      });
      const error = await write.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
      // Each attempt blocks the event loop for the whole busy timeout: ten of them froze the server for 50 s.
      expect(attempts).toBe(1);
    },
    SQLITE_BUSY_TIMEOUT_MS * 3,
  );

  it('retries a read that meets the lock when it turns into a write, and commits once the lock is gone', async () => {
    const { db, holder } = await lockedDatabase();
    let attempts = 0;
    // SQLite answers a read upgraded to a write "locked" at once, without the busy wait: retrying is cheap, and the
    // holder lets go meanwhile.
    setTimeout(() => holder.exec('rollback'), 100);
    await serializableTransaction(db, async (trx) => {
      attempts++;
      await trx.selectFrom('customers').select('id').limit(1).execute();
      await deleteNobody(trx);
    });
    expect(attempts).toBeGreaterThan(1);
  });
});
