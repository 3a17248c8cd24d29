import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { freshDb } from '../support/database';
import { authenticate, BAD_CREDENTIALS_ERROR, registerCustomer } from '@/lib/shop/server/auth/accounts';

let db: DB;
const email = 'limited@example.test';
const t0 = new Date('2030-01-01T10:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const login = (password: string, now: Date, ip = '203.0.113.7') => authenticate(db, { email, password, ip }, now);

beforeEach(async () => {
  db = await freshDb();
  await registerCustomer(db, { email, password: 'the right one', name: 'Lim' });
});

describe('login', () => {
  it('gives the same error for an unknown email and a wrong password', async () => {
    const wrong = await login('nope nope', t0);
    const unknown = await authenticate(db, { email: 'nobody@example.test', password: 'x', ip: '1.1.1.1' }, t0);
    expect(wrong).toEqual({ ok: false, error: BAD_CREDENTIALS_ERROR, field: 'password' });
    expect(unknown).toEqual(wrong);
  });

  it('refuses a 6th attempt after 5 failures in 15 minutes, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login('wrong', at(i))).ok).toBe(false);
    const blocked = await login('the right one', at(5));
    expect(blocked).toEqual({ ok: false, error: 'Too many failed attempts. Try again in 10 minutes.' });
  });

  it('limits per email + IP: another client is not locked out', async () => {
    for (let i = 0; i < 5; i++) await login('wrong', at(0));
    expect((await login('the right one', at(1), '198.51.100.1')).ok).toBe(true);
  });

  it('lets the person in again once the failures age out of the window', async () => {
    for (let i = 0; i < 5; i++) await login('wrong', at(0));
    expect((await login('the right one', at(14))).ok).toBe(false);
    expect((await login('the right one', at(15.01))).ok).toBe(true);
  });

  it('clears the count on success, so earlier failures do not add up with later ones', async () => {
    for (let i = 0; i < 4; i++) await login('wrong', at(0));
    expect((await login('the right one', at(1))).ok).toBe(true);
    for (let i = 0; i < 4; i++) await login('wrong', at(2));
    expect((await login('the right one', at(3))).ok).toBe(true);
  });
});
