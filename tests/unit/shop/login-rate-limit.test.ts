import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { freshDb } from '../support/database';
import { resetEnvCache } from '@/lib/env';
import { authenticate, BAD_CREDENTIALS_ERROR } from '@/lib/shop/server/auth/accounts';
import { findOrCreateCustomerByEmail } from '@/lib/shop/server/customers';
import { deviceNonce, mintDeviceToken } from '@/lib/shop/server/auth/device';
import { hashPassword, passwordParams } from '@/lib/shop/server/auth/password';
import { LOGIN_LIMITS, recordFailedLogin } from '@/lib/shop/server/auth/rate-limit';

const saved = { ...process.env };
let rightHash: string;
beforeAll(async () => {
  process.env.APP_SECRET = 'unit-test-secret-0123456789';
  resetEnvCache();
  rightHash = await hashPassword('the right one');
});
afterAll(() => {
  process.env = { ...saved };
  resetEnvCache();
});

let db: DB;
let ownerId: string;
const email = 'limited@example.test';
const t0 = new Date('2030-01-01T10:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const login = (password: string, now: Date, ip = '203.0.113.7', deviceToken: string | null = null) =>
  authenticate(db, { email, password, ip, deviceToken }, now);
const tooMany = (minutes: number) => ({
  ok: false,
  error: `Too many failed attempts. Try again in ${minutes} minutes.`,
});
/** Failures recorded the way authenticate records a wrong password (each real one costs a full scrypt hash). */
const fail = async (times: number, now: Date, ip = '203.0.113.7', device: string | null = null) => {
  for (let i = 0; i < times; i++) await recordFailedLogin(db, { email, ip, device }, now);
};

beforeEach(async () => {
  db = await freshDb();
  // An account with a password (one hash for the whole file).
  ownerId = (await findOrCreateCustomerByEmail(db, email, { name: 'Lim' })).id;
  await db.updateTable('customers').set({ password_hash: rightHash }).where('id', '=', ownerId).execute();
});

// Unit tests hash at a lower cost (passwordParams), but a busy machine is slow: these tests allow for a few.
describe('login', { timeout: 60_000 }, () => {
  it('gives the same error for an unknown email and a wrong password', async () => {
    const wrong = await login('nope nope', t0);
    const unknown = await authenticate(db, { email: 'nobody@example.test', password: 'x', ip: '1.1.1.1' }, t0);
    expect(wrong).toEqual({ ok: false, error: BAD_CREDENTIALS_ERROR, field: 'password' });
    expect(unknown).toEqual(wrong);
  });

  it('refuses a 6th attempt from one client after 5 failures in 15 minutes, even with the right password', async () => {
    expect((await login('wrong', at(0))).ok).toBe(false); // a real wrong password is counted…
    await fail(4, at(4)); // …like these
    expect(await login('the right one', at(5))).toEqual(tooMany(10));
  });

  it('lets the person in again once the failures age out of the window', async () => {
    await fail(5, at(0));
    expect((await login('the right one', at(14))).ok).toBe(false);
    expect((await login('the right one', at(15.01))).ok).toBe(true);
  });

  it('clears the count on success, so earlier failures do not add up with later ones', async () => {
    await fail(4, at(0));
    expect((await login('the right one', at(1))).ok).toBe(true);
    await fail(4, at(2));
    expect((await login('the right one', at(3))).ok).toBe(true);
  });

  it('a stranger failing on the account does not lock out the owner on another client', async () => {
    expect((await login('guess', at(0), '198.51.100.66')).ok).toBe(false);
    await fail(4, at(0), '198.51.100.66');
    expect(await login('the right one', at(1), '198.51.100.66')).toEqual(tooMany(14));
    expect((await login('the right one', at(1))).ok).toBe(true);
  });

  it("guesses spread over many clients stop at the account limit, and the owner's known browser still gets in", async () => {
    const stranger = (i: number) => ({ email, ip: `198.51.100.${i}`, device: null });
    for (let i = 0; i < LOGIN_LIMITS.account; i++) await recordFailedLogin(db, stranger(i), at(0));
    // A fresh client (another address, no device cookie) is refused though it never failed itself…
    expect(await login('the right one', at(1), '192.0.2.1')).toEqual(tooMany(14));
    // …the owner's browser, which signed in before and carries the device cookie, is not — from any address.
    expect((await login('the right one', at(1), '192.0.2.1', mintDeviceToken(ownerId))).ok).toBe(true);
    // A device cookie made for another customer counts for nothing.
    expect((await login('the right one', at(1), '192.0.2.1', mintDeviceToken('cus_someone_else_0000'))).ok).toBe(false);
  });

  it('a known browser has its own limit: failures from it lock only itself', async () => {
    const device = mintDeviceToken(ownerId);
    expect((await login('wrong', at(0), '203.0.113.7', device)).ok).toBe(false);
    await fail(LOGIN_LIMITS.device - 1, at(0), '203.0.113.7', deviceNonce(device, ownerId));
    expect(await login('the right one', at(1), '203.0.113.7', device)).toEqual(tooMany(14));
    expect((await login('the right one', at(1), '203.0.113.7')).ok).toBe(true);
  });

  it('one IPv6 network counts as one client, whichever of its addresses it sends from', async () => {
    // A new address each time, all in one /56 (an end site's; the last one in another /64 of it).
    await fail(LOGIN_LIMITS.accountClient - 1, at(0), '2001:db8:1:0::1');
    expect((await login('wrong', at(0), '2001:db8:1:0::2')).ok).toBe(false);
    expect(await login('the right one', at(1), '2001:db8:1:ff::3')).toEqual(tooMany(14));
    // Another /56 is another client.
    expect((await login('the right one', at(1), '2001:db8:1:100::1')).ok).toBe(true);
  });

  it('one client spraying a password over many accounts is stopped', async () => {
    for (let i = 0; i < LOGIN_LIMITS.client; i++)
      await recordFailedLogin(db, { email: `user${i}@example.test`, ip: '203.0.113.99', device: null }, at(0));
    expect((await login('the right one', at(1), '203.0.113.99')).ok).toBe(false);
  });
});

describe('password cost', { timeout: 60_000 }, () => {
  it('a hash stored at a lower N logs in and is replaced by one at the current parameters', async () => {
    const old = await hashPassword('the right one', { N: passwordParams().N / 4, r: 8, p: 1 });
    await db.updateTable('customers').set({ password_hash: old }).where('id', '=', ownerId).execute();
    expect((await login('the right one', t0)).ok).toBe(true);
    const { password_hash } = await db
      .selectFrom('customers')
      .select('password_hash')
      .where('id', '=', ownerId)
      .executeTakeFirstOrThrow();
    expect(password_hash).toMatch(new RegExp(`^scrypt\\$${passwordParams().N}\\$8\\$1\\$`));
    expect((await login('the right one', at(1))).ok).toBe(true);
  });
});
