import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { normalizeEmail } from '@/lib/tracking/email';
import type { CustomersTable } from '@/lib/db/tables/shop';
import { mintId } from './ids';

export type Customer = {
  id: string;
  email: string;
  name: string | null;
  /** False for guests: they have ordered or left an email but never set a password. */
  hasPassword: boolean;
  acquisitionSource: string | null;
  createdAt: string;
  firstSeenAt: string;
};

export function toCustomer(row: CustomersTable): Customer {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    hasPassword: row.password_hash !== null,
    acquisitionSource: row.acquisition_source,
    createdAt: row.created_at,
    firstSeenAt: row.first_seen_at,
  };
}

/**
 * THE one place an email becomes a customer id. Guest checkout, email capture and signup all call it, so
 * the same person always resolves to the same canonical id (no split profiles). Idempotent and
 * race-safe: the insert is a no-op on the unique email, and a missing name is filled in. `created` says whether
 * this call made the customer: only then is the caller's browser known to be theirs.
 */
export async function resolveCustomerByEmail(
  db: DB,
  email: string,
  opts: { name?: string; acquisitionSource?: string; now?: Date } = {},
): Promise<{ customer: Customer; created: boolean }> {
  const now = (opts.now ?? new Date()).toISOString();
  const id = mintId('cus');
  const row = await db
    .insertInto('customers')
    .values({
      id,
      email: normalizeEmail(email),
      name: opts.name ?? null,
      password_hash: null,
      acquisition_source: opts.acquisitionSource ?? null,
      created_at: now,
      first_seen_at: now,
    })
    .onConflict((oc) => oc.column('email').doUpdateSet({ name: sql`coalesce(customers.name, excluded.name)` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  // The freshly minted id comes back only when this insert made the row.
  return { customer: toCustomer(row), created: row.id === id };
}

export async function findOrCreateCustomerByEmail(
  db: DB,
  email: string,
  opts: { name?: string; acquisitionSource?: string; now?: Date } = {},
): Promise<Customer> {
  return (await resolveCustomerByEmail(db, email, opts)).customer;
}

export async function getCustomer(db: DB, id: string): Promise<Customer | undefined> {
  const row = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCustomer(row);
}
