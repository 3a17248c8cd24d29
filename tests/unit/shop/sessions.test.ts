import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { freshDb } from '../support/database';
import { createSession, deleteSession, findSessionCustomerId, SESSION_TTL_MS } from '@/lib/shop/server/auth/session';
import { findOrCreateCustomerByEmail } from '@/lib/shop/server/customers';

let db: DB;
let customerId: string;
const t0 = new Date('2030-01-01T00:00:00.000Z');

beforeEach(async () => {
  db = await freshDb();
  customerId = (await findOrCreateCustomerByEmail(db, 'session@example.test')).id;
});

describe('sessions', () => {
  it('resolve a token to its customer for 30 days, then not', async () => {
    const { token, expiresAt } = await createSession(db, customerId, t0);
    expect(expiresAt.getTime() - t0.getTime()).toBe(SESSION_TTL_MS);
    expect(await findSessionCustomerId(db, token, new Date(t0.getTime() + SESSION_TTL_MS - 1))).toBe(customerId);
    expect(await findSessionCustomerId(db, token, expiresAt)).toBeUndefined();
    expect(await findSessionCustomerId(db, `${token}x`, t0)).toBeUndefined();
  });

  it('store only a hash of the token, and stop working once deleted', async () => {
    const { token } = await createSession(db, customerId, t0);
    const rows = await db.selectFrom('sessions').select('id').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toContain(token);
    await deleteSession(db, token);
    expect(await findSessionCustomerId(db, token, t0)).toBeUndefined();
  });
});
