import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DENYLISTED_IDS,
  IdentityGuardError,
  assertIdentifiable,
  enforceTraits,
  guardIdentify,
  identityRejection,
  isCanonicalCustomerId,
} from '@/lib/tracking/identity';
import { resetLogOnce } from '@/lib/tracking/log';

const CANONICAL = 'cus_4f9Kx2LmQ8vTz1Ab';
const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';

afterEach(() => {
  vi.restoreAllMocks();
  resetLogOnce();
});

describe('identity guard', () => {
  it('accepts a canonical customer id', () => {
    expect(isCanonicalCustomerId(CANONICAL)).toBe(true);
    expect(() => assertIdentifiable(CANONICAL, { anonymousId: ANON })).not.toThrow();
    expect(guardIdentify(CANONICAL, { strict: true, anonymousId: ANON })).toBe(true);
    expect(guardIdentify('cus_abcdefghijklmnop_-9', { strict: true })).toBe(true);
  });

  it.each([...DENYLISTED_IDS])('rejects the placeholder %s in any case and quoted', (value) => {
    for (const variant of [value, value.toUpperCase(), ` ${value} `, `"${value}"`, `'${value}'`, `\`${value}\``]) {
      expect(identityRejection(variant)?.reason, variant).toBe('placeholder');
      expect(() => assertIdentifiable(variant)).toThrow(IdentityGuardError);
    }
  });

  it('covers the whole documented denylist', () => {
    expect([...DENYLISTED_IDS].sort()).toEqual(
      [
        'anonymous',
        'guest',
        'null',
        'undefined',
        'none',
        'nan',
        '0',
        '-1',
        'true',
        'false',
        'id',
        'user_id',
        'distinct_id',
        'not_authenticated',
        'email',
        '[object object]',
      ].sort(),
    );
    expect(identityRejection(String({}))?.reason).toBe('placeholder');
    expect(identityRejection('NaN')?.reason).toBe('placeholder');
  });

  it('rejects blank, non-string, email and the current anonymous id', () => {
    expect(identityRejection('')?.reason).toBe('blank');
    expect(identityRejection('   ')?.reason).toBe('blank');
    expect(identityRejection('""')?.reason).toBe('blank');
    expect(identityRejection(null)?.reason).toBe('not_a_string');
    expect(identityRejection(undefined)?.reason).toBe('not_a_string');
    expect(identityRejection(42)?.reason).toBe('not_a_string');
    expect(identityRejection({})?.reason).toBe('not_a_string');
    expect(identityRejection('ada@example.com')?.reason).toBe('email');
    expect(identityRejection('cus_ada@example.com1234')?.reason).toBe('email');
    expect(identityRejection(ANON, { anonymousId: ANON })?.reason).toBe('anonymous_id');
    expect(identityRejection(`"${ANON}"`, { anonymousId: ANON })?.reason).toBe('anonymous_id');
  });

  it('rejects anything not in canonical form', () => {
    for (const id of [
      ANON,
      'cus_short',
      'CUS_4f9Kx2LmQ8vTz1Ab',
      'cus 4f9Kx2LmQ8vTz1Ab',
      `"${CANONICAL}"`,
      'sess_4f9Kx2LmQ8vTz1Ab',
      '12345',
    ]) {
      expect(identityRejection(id)?.reason, id).toBe('not_canonical');
    }
  });

  it('strict mode throws an IdentityGuardError with a clear message', () => {
    try {
      guardIdentify('ada@example.com', { strict: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IdentityGuardError);
      expect((error as IdentityGuardError).reason).toBe('email');
      expect((error as Error).message).toMatch(/email/);
    }
  });

  it('non-strict mode returns false and logs once per reason', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(guardIdentify('guest', { strict: false })).toBe(false);
    expect(guardIdentify('GUEST', { strict: false })).toBe(false);
    expect(guardIdentify('ada@example.com', { strict: false })).toBe(false);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('never logs or throws the rejected value itself when it could be personal data', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const phone = '+15551234567';
    expect(guardIdentify(phone, { strict: false })).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls)).not.toContain('5551234567');
    expect(JSON.stringify(warn.mock.calls)).toContain('12-character id starting \\"+155\\"');
    expect(() => guardIdentify('jane.doe.1984', { strict: true })).toThrow(
      /^(?!.*jane\.doe\.1984).*not a canonical customer id/,
    );
  });

  it('checks traits: strict throws, non-strict skips', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(
      enforceTraits({ email: 'ada@example.com', created_at: '2025-01-02T03:04:05.000Z', plan: 'gold' }, true),
    ).toBe(true);
    expect(() => enforceTraits({ email: 'not-an-email' }, true)).toThrow(/email/);
    expect(enforceTraits({ created_at: 'yesterday' }, false)).toBe(false);
  });
});
