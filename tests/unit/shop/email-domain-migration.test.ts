import { sql, type Kysely, type Migrator } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { authenticate } from '@/lib/shop/server/auth/accounts';
import { findOrCreateCustomerByEmail } from '@/lib/shop/server/customers';
import { unmigratedDatabase } from '../support/database';

// A shop from before 0022, whose rows kept an internationalised domain as a client sent it (`xn--`), migrated
// forward: they are found by the address in either spelling. A storage suite: SQLite and PostgreSQL.
let db: DB;
let migrator: Migrator;
beforeEach(async () => {
  ({ db, migrator } = await unmigratedDatabase());
  const { error } = await migrator.migrateTo('0021-shop-event-outbox');
  if (error) throw error;
});

const old = () => db as unknown as Kysely<unknown>;
const T = '2026-01-01T00:00:00.000Z';
async function insertCustomer(id: string, email: string) {
  await sql`insert into customers (id, email, created_at, first_seen_at) values (${id}, ${email}, ${T}, ${T})`.execute(
    old(),
  );
}

it('rewrites stored xn-- domains in Unicode, so the customer, their orders and their person are found again', async () => {
  await insertCustomer('cus_old', 'user@xn--bcher-kva.de');
  await insertCustomer('cus_ascii', 'plain@example.com');
  await sql`insert into cdp_people (id, email, email_trusted, traits, first_seen_at, last_seen_at, created_at, updated_at)
    values ('cus_old', 'user@xn--bcher-kva.de', 'user@xn--bcher-kva.de', '{}', ${T}, ${T}, ${T}, ${T})`.execute(old());

  const { error } = await migrator.migrateToLatest();
  expect(error).toBeUndefined();

  expect((await findOrCreateCustomerByEmail(db, 'user@bücher.de')).id).toBe('cus_old');
  expect((await findOrCreateCustomerByEmail(db, 'USER@XN--BCHER-KVA.DE')).id).toBe('cus_old');
  expect((await findOrCreateCustomerByEmail(db, 'plain@example.com')).id).toBe('cus_ascii');
  expect(await db.selectFrom('cdp_people').select(['email', 'email_trusted']).execute()).toEqual([
    { email: 'user@bücher.de', email_trusted: 'user@bücher.de' },
  ]);
  // A wrong password still answers as for an account without one: the row is found, not a new guest made.
  expect((await authenticate(db, { email: 'user@bücher.de', password: 'x'.repeat(12), ip: '1.1.1.1' })).ok).toBe(false);
  expect(await db.selectFrom('customers').select('id').execute()).toHaveLength(2);
});

it('leaves a customer as it was when the other spelling is another customer already', async () => {
  await insertCustomer('cus_unicode', 'user@bücher.de');
  await insertCustomer('cus_ascii', 'user@xn--bcher-kva.de');
  const { error } = await migrator.migrateToLatest();
  expect(error).toBeUndefined();
  expect(await db.selectFrom('customers').select(['id', 'email']).orderBy('id').execute()).toEqual([
    { id: 'cus_ascii', email: 'user@xn--bcher-kva.de' },
    { id: 'cus_unicode', email: 'user@bücher.de' },
  ]);
  expect((await findOrCreateCustomerByEmail(db, 'user@xn--bcher-kva.de')).id).toBe('cus_unicode');
});
