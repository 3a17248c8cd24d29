import { sql, type Kysely, type Migrator } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { unmigratedDatabase } from '../support/database';

// A forward queue as it was before 0010, migrated forward: what an existing shop's queue becomes.
// A storage suite: it runs on SQLite and on PostgreSQL.
let db: DB;
let migrator: Migrator;
beforeEach(async () => {
  ({ db, migrator } = await unmigratedDatabase());
  const { error } = await migrator.migrateTo('0007-merged-events');
  if (error) throw error;
});

const old = () => db as unknown as Kysely<unknown>;

async function insertOldRow(messageId: string, status: string, call: Record<string, unknown>) {
  await sql`insert into cdp_forward_queue (message_id, payload, status, attempts, next_attempt_at, last_error, created_at)
    values (${messageId}, ${JSON.stringify({ type: 'track', messageId, ...call })}, ${status}, 8, 0,
      ${status === 'failed' ? 'Customer.io answered 503' : null}, '2026-11-30T00:00:00.000Z')`.execute(old());
}

it('turns given-up rows into dead letters (replayable) and keys every row by its person', async () => {
  await insertOldRow('m1', 'failed', { userId: 'cus_1', anonymousId: 'a1' });
  await insertOldRow('m2', 'pending', { anonymousId: 'a2' });
  await insertOldRow('m3', 'sent', { userId: 'cus_3' });

  const { error } = await migrator.migrateTo('0010-forward-retry');
  expect(error).toBeUndefined();
  const rows = await db
    .selectFrom('cdp_forward_queue')
    .select(['message_id', 'status', 'person_key', 'failing_since', 'last_error'])
    .orderBy('id')
    .execute();
  expect(rows).toEqual([
    {
      message_id: 'm1',
      status: 'dead',
      person_key: 'cus_1',
      failing_since: null,
      last_error: 'Customer.io answered 503',
    },
    { message_id: 'm2', status: 'pending', person_key: 'a2', failing_since: null, last_error: null },
    { message_id: 'm3', status: 'sent', person_key: 'cus_3', failing_since: null, last_error: null },
  ]);
});
