import type { Transaction } from 'kysely';
import { expect, it } from 'vitest';
import type { Database, DB } from '@/lib/db';
import { messageSchema } from '@/lib/cdp/model/message';
import { enqueueForward } from '@/lib/cdp/store/forward-queue';
import { sharedDatabase } from '../support/database';
import { T0, track } from './support';

// PostgreSQL only (vitest project `postgres`): the row locks one open transaction holds, seen from another
// connection. SQLite has no row locks (one writer at a time). The held → pending path is in forward.test.ts.

/** Runs `inside` in a transaction on `db`, then `meanwhile` while that transaction is still open. */
async function whileOpen<T>(
  db: DB,
  inside: (trx: Transaction<Database>) => Promise<void>,
  meanwhile: () => Promise<T>,
): Promise<T> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let ready!: () => void;
  const entered = new Promise<void>((resolve) => (ready = resolve));
  const open = db.transaction().execute(async (trx) => {
    await inside(trx);
    ready();
    await gate;
  });
  await Promise.race([entered, open]);
  try {
    return await meanwhile();
  } finally {
    release();
    await open;
  }
}

it('a repeat of a queued call locks no row, so the forwarder can mark it sent while the repeat is in flight', async () => {
  const [ingest, forwarder] = await sharedDatabase();
  const call = messageSchema.parse(track('Product Viewed', { anonymousId: 'a', messageId: 'm1' }));
  expect(await enqueueForward(ingest, call, { at: T0 })).toBe(true);

  // ON CONFLICT DO UPDATE … WHERE status = 'held' locked the pending row until the repeat's ingest ended, and the
  // forwarder marking that row and others sent deadlocked with it: NOWAIT then failed with "could not obtain lock".
  const locked = await whileOpen(
    ingest,
    async (trx) => expect(await enqueueForward(trx, call, { at: T0 })).toBe(false),
    () =>
      forwarder
        .transaction()
        .execute((trx) => trx.selectFrom('cdp_forward_queue').select('message_id').forUpdate().noWait().execute()),
  );
  expect(locked).toEqual([{ message_id: 'm1' }]);
});
