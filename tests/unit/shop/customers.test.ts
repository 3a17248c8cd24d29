import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { freshDb } from '../support/database';
import { ACCOUNT_EXISTS_ERROR, authenticate, registerCustomer } from '@/lib/shop/server/auth/accounts';
import {
  EMAIL_CORRECTION_WINDOW_MS,
  isEmailBeingCorrected,
  latestCustomerOf,
  rememberBrowser,
  rememberCartWrite,
  setCartLast,
} from '@/lib/shop/server/customer-browsers';
import { placeOrder } from '@/lib/shop/server/orders';
import { checkout } from './checkout-input';
import { findOrCreateCustomerByEmail, getCustomer, resolveCustomerByEmail } from '@/lib/shop/server/customers';

let db: DB;
beforeEach(async () => {
  db = await freshDb();
});

describe('findOrCreateCustomerByEmail', () => {
  it('mints a canonical cus_ id once per email, whatever the case or spacing', async () => {
    const first = await findOrCreateCustomerByEmail(db, 'Shopper@Example.test', { acquisitionSource: 'popup' });
    const again = await findOrCreateCustomerByEmail(db, '  shopper@example.TEST ', { acquisitionSource: 'checkout' });
    expect(first.id).toMatch(/^cus_[A-Za-z0-9_-]{20,}$/);
    expect(again.id).toBe(first.id);
    expect(again.email).toBe('shopper@example.test');
    // The first source that brought the person in is kept.
    expect(again.acquisitionSource).toBe('popup');
    expect(await db.selectFrom('customers').select('id').execute()).toHaveLength(1);
  });

  it('is one customer for an internationalised address, whatever its case or Unicode form', async () => {
    const signedUp = await registerCustomer(db, { email: 'José@Exemple.fr', password: 'long enough', name: 'José' });
    expect(signedUp).toMatchObject({ ok: true, customer: { email: 'josé@exemple.fr' } });
    const atCheckout = await findOrCreateCustomerByEmail(db, 'jose\u0301@exemple.fr', {
      acquisitionSource: 'checkout',
    });
    expect(signedUp.ok && atCheckout.id).toBe(signedUp.ok && signedUp.customer.id);
    expect(await authenticate(db, { email: 'JOSÉ@EXEMPLE.FR', password: 'long enough', ip: '1.1.1.1' })).toMatchObject({
      ok: true,
      customer: { id: atCheckout.id },
    });
    expect(await db.selectFrom('customers').select('email').execute()).toEqual([{ email: 'josé@exemple.fr' }]);
  });

  it('is one customer for an internationalised domain typed in Unicode or in its ASCII (xn--) spelling', async () => {
    const signedUp = await registerCustomer(db, { email: 'user@bücher.de', password: 'long enough', name: 'Ute' });
    expect(signedUp).toMatchObject({ ok: true, customer: { email: 'user@bücher.de' } });
    const id = signedUp.ok && signedUp.customer.id;
    expect((await findOrCreateCustomerByEmail(db, 'User@XN--BCHER-KVA.DE')).id).toBe(id);
    expect(
      await authenticate(db, { email: 'user@xn--bcher-kva.de', password: 'long enough', ip: '1.1.1.1' }),
    ).toMatchObject({ ok: true, customer: { id } });
    expect(await registerCustomer(db, { email: 'user@xn--bcher-kva.de', password: 'another one', name: 'U' })).toEqual({
      ok: false,
      error: ACCOUNT_EXISTS_ERROR,
      field: 'email',
    });
    expect(await db.selectFrom('customers').select('email').execute()).toEqual([{ email: 'user@bücher.de' }]);
  });

  it('fills in a missing name but never overwrites one', async () => {
    await findOrCreateCustomerByEmail(db, 'a@example.test');
    expect((await findOrCreateCustomerByEmail(db, 'a@example.test', { name: 'Ada' })).name).toBe('Ada');
    expect((await findOrCreateCustomerByEmail(db, 'a@example.test', { name: 'Someone else' })).name).toBe('Ada');
  });

  it('says whether the call made the customer (only then is the caller known to be them)', async () => {
    const made = await resolveCustomerByEmail(db, 'new@example.test');
    const found = await resolveCustomerByEmail(db, 'NEW@example.test');
    expect([made.created, found.created]).toEqual([true, false]);
    expect(found.customer.id).toBe(made.customer.id);
  });

  it('gives different people different ids', async () => {
    const a = await findOrCreateCustomerByEmail(db, 'a@example.test');
    const b = await findOrCreateCustomerByEmail(db, 'b@example.test');
    expect(a.id).not.toBe(b.id);
  });
});

describe('signup', () => {
  it('claims a guest customer: same id, password set, no duplicate row', async () => {
    const guest = await findOrCreateCustomerByEmail(db, 'guest@example.test', { acquisitionSource: 'checkout' });
    expect(guest.hasPassword).toBe(false);
    const result = await registerCustomer(db, { email: 'GUEST@example.test', password: 'long enough', name: 'Grace' });
    expect(result).toMatchObject({ ok: true, customer: { id: guest.id, hasPassword: true, name: 'Grace' } });
    expect(await db.selectFrom('customers').select('id').execute()).toHaveLength(1);
    expect(
      await authenticate(db, { email: 'guest@example.test', password: 'long enough', ip: '1.1.1.1' }),
    ).toMatchObject({
      ok: true,
      customer: { id: guest.id },
    });
  });

  it('refuses an email that already has a password and keeps the old one', async () => {
    const first = await registerCustomer(db, { email: 'taken@example.test', password: 'first password', name: 'A' });
    expect(first.ok).toBe(true);
    const second = await registerCustomer(db, { email: 'taken@example.test', password: 'second password', name: 'B' });
    expect(second).toEqual({ ok: false, error: ACCOUNT_EXISTS_ERROR, field: 'email' });
    const login = await authenticate(db, { email: 'taken@example.test', password: 'first password', ip: '1.1.1.1' });
    expect(login.ok).toBe(true);
    if (login.ok) expect((await getCustomer(db, login.customer.id))?.name).toBe('A');
  });
});

describe('latestCustomerOf', () => {
  it('names the customer a browser was last identified as, and nobody for a browser never identified', async () => {
    const a = await findOrCreateCustomerByEmail(db, 'a@example.test');
    const b = await findOrCreateCustomerByEmail(db, 'b@example.test');
    await rememberBrowser(db, a.id, 'anon-1', new Date('2026-03-01T10:00:00Z'));
    await rememberBrowser(db, b.id, 'anon-1', new Date('2026-03-01T11:00:00Z'));
    await rememberBrowser(db, b.id, 'anon-2', new Date('2026-03-01T09:00:00Z'));
    await rememberBrowser(db, a.id, 'anon-2', new Date('2026-03-01T12:00:00Z'));
    expect(await latestCustomerOf(db, 'anon-1')).toBe(b.id);
    expect(await latestCustomerOf(db, 'anon-2')).toBe(a.id);
    expect(await latestCustomerOf(db, 'anon-3')).toBeUndefined();
  });
});

describe('setCartLast', () => {
  it('names the browser of a customer that set their cart attribute last, and no browser that is not theirs', async () => {
    const a = await findOrCreateCustomerByEmail(db, 'a@example.test');
    const b = await findOrCreateCustomerByEmail(db, 'b@example.test');
    await rememberBrowser(db, a.id, 'laptop', new Date('2026-03-01T09:00:00Z'));
    await rememberBrowser(db, a.id, 'phone', new Date('2026-03-01T09:30:00Z'));
    expect(await setCartLast(db, a.id, 'laptop')).toBe(false);
    await rememberCartWrite(db, a.id, 'laptop', new Date('2026-03-01T10:00:00Z'));
    expect(await setCartLast(db, a.id, 'laptop')).toBe(true);
    await rememberCartWrite(db, a.id, 'phone', new Date('2026-03-01T11:00:00Z'));
    expect(await setCartLast(db, a.id, 'laptop')).toBe(false);
    expect(await setCartLast(db, a.id, 'phone')).toBe(true);
    // A browser never identified as B records nothing for B.
    await rememberCartWrite(db, b.id, 'phone', new Date('2026-03-01T12:00:00Z'));
    expect(await setCartLast(db, b.id, 'phone')).toBe(false);
    expect(await latestCustomerOf(db, 'phone')).toBe(a.id);
  });
});

describe('isEmailBeingCorrected', () => {
  const T0 = new Date('2026-03-01T12:00:00.000Z');
  const later = (ms: number) => new Date(T0.getTime() + ms);
  /** An address this browser (`anon-1`) left at T0, as the checkout's email field does on blur. */
  async function leftAt(email: string, anonymousId = 'anon-1') {
    const { customer } = await resolveCustomerByEmail(db, email, { acquisitionSource: 'checkout', now: T0 });
    await rememberBrowser(db, customer.id, anonymousId, T0);
    return customer.id;
  }

  it('is a correction when the form names the address this browser alone left minutes ago and nothing else', async () => {
    const typo = await leftAt('ada@exmaple.test');
    expect(await isEmailBeingCorrected(db, typo, 'ada@exmaple.test', 'anon-1', later(5 * 60_000))).toEqual(['anon-1']);
    expect(
      await isEmailBeingCorrected(db, typo, 'ada@exmaple.test', 'anon-1', later(EMAIL_CORRECTION_WINDOW_MS)),
    ).toEqual(['anon-1']);
  });

  it('is not when the form names another address, another browser asks, or the address is older', async () => {
    const typo = await leftAt('ada@exmaple.test');
    const at = later(60_000);
    expect(await isEmailBeingCorrected(db, typo, 'someone@example.test', 'anon-1', at)).toBeNull();
    expect(await isEmailBeingCorrected(db, typo, 'ada@exmaple.test', 'anon-2', at)).toBeNull();
    expect(
      await isEmailBeingCorrected(db, typo, 'ada@exmaple.test', 'anon-1', later(EMAIL_CORRECTION_WINDOW_MS + 1)),
    ).toBeNull();
  });

  it('is not for a customer who is more than that browser’s capture: another browser, an order, an account', async () => {
    const at = later(60_000);
    const elsewhere = await leftAt('two@example.test');
    await rememberBrowser(db, elsewhere, 'anon-9', T0);
    expect(await isEmailBeingCorrected(db, elsewhere, 'two@example.test', 'anon-1', at)).toBeNull();

    const ordered = await leftAt('buyer@example.test');
    await placeOrder(db, checkout('buyer@example.test', [{ sku: 'GL-SER-NIA-30', quantity: 1 }]), undefined, {
      now: T0,
    });
    expect(await isEmailBeingCorrected(db, ordered, 'buyer@example.test', 'anon-1', at)).toBeNull();

    const account = await leftAt('member@example.test');
    await registerCustomer(db, { email: 'member@example.test', password: 'correct horse battery', name: 'M' });
    expect(await isEmailBeingCorrected(db, account, 'member@example.test', 'anon-1', at)).toBeNull();
  });

  it('takes back the ids a correction moved from the address typed now: ada → adda → ada', async () => {
    // anon-1 left ada, corrected to adda: anon-1 went to adda, and the browser went on as anon-2, known as both.
    const ada = await leftAt('ada@example.test');
    const adda = await leftAt('ada@exmaple.test', 'anon-2');
    await rememberBrowser(db, adda, 'anon-1', T0);
    await rememberBrowser(db, ada, 'anon-2', T0);
    const at = later(60_000);
    expect((await isEmailBeingCorrected(db, adda, 'ada@exmaple.test', 'anon-2', at, ada))?.sort()).toEqual([
      'anon-1',
      'anon-2',
    ]);
    // Not without saying whom it corrects to, nor to another customer, nor from another browser.
    expect(await isEmailBeingCorrected(db, adda, 'ada@exmaple.test', 'anon-2', at)).toBeNull();
    const other = await leftAt('other@example.test', 'anon-7');
    expect(await isEmailBeingCorrected(db, adda, 'ada@exmaple.test', 'anon-2', at, other)).toBeNull();
    expect(await isEmailBeingCorrected(db, adda, 'ada@exmaple.test', 'anon-9', at, ada)).toBeNull();
  });
});
