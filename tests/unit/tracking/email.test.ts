import { describe, expect, it } from 'vitest';
import { EMAIL_PATTERN, isEmailAddress, normalizeEmail, normalizeEmailOrNull } from '@/lib/tracking/email';
import { emailSchema } from '@/lib/tracking/email-schema';
import { identifyTraitsSchema } from '@/lib/tracking/identity';
import { emailField } from '@/lib/shop/domain/fields';

const INTERNATIONAL = ['josé@exemple.fr', 'user@bücher.de', '用户@例子.中国', 'иван@почта.рф', "o'neil@x.ie"];
const NOT_ADDRESSES = [
  'a@b', // no dot in the domain
  'a@b.c', // one-letter top-level label
  'a b@c.de',
  'a@@b.de',
  '"quoted"@a.de',
  'a\u200b@b.de', // zero-width space
  'a\u202e@b.de', // right-to-left override
  'a.@b.de',
  '.a@b.de',
  'a..b@c.de',
  'a@-b.de',
  'a@b_c.de',
  'a@b.de\n',
  `${'a'.repeat(65)}@b.de`,
  `a@${'b'.repeat(250)}.de`,
];

describe('the one email rule', () => {
  it('accepts internationalised addresses (RFC 6531) as well as ASCII ones', () => {
    for (const address of [...INTERNATIONAL, 'ada@example.com', 'a+tag@sub.example.co.uk', 'x@例子.xn--fiqs8s'])
      expect(isEmailAddress(address), address).toBe(true);
  });

  it('refuses what is not an address, in any script', () => {
    for (const value of NOT_ADDRESSES) expect(EMAIL_PATTERN.test(value), JSON.stringify(value)).toBe(false);
  });

  it('makes one spelling of every way to type an address: trimmed, composed (NFC), lower-cased', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    const composed = 'josé@exemple.fr';
    expect(normalizeEmail('José@Exemple.FR')).toBe(composed);
    expect(normalizeEmail('JOSE\u0301@EXEMPLE.FR')).toBe(composed); // decomposed É
    expect(normalizeEmail('User@BÜCHER.de')).toBe('user@bücher.de');
    expect(normalizeEmail('ИВАН@ПОЧТА.РФ')).toBe('иван@почта.рф');
  });

  it('reads untrusted values as an email or nothing', () => {
    expect(normalizeEmailOrNull(' José@Example.com')).toBe('josé@example.com');
    for (const value of ['', '   ', null, undefined, 42, { email: 'a@b.c' }])
      expect(normalizeEmailOrNull(value)).toBeNull();
  });
});

describe('every boundary that takes an email uses it', () => {
  it('the shop forms (checkout, signup, login, email capture) accept and normalize them', () => {
    expect(emailField.parse('  JOSE\u0301@Exemple.FR ')).toBe('josé@exemple.fr');
    expect(emailField.parse('用户@例子.中国')).toBe('用户@例子.中国');
    expect(emailField.safeParse('user@bücher').success).toBe(false);
  });

  it('identify traits accept them', () => {
    for (const email of INTERNATIONAL) expect(identifyTraitsSchema.safeParse({ email }).success, email).toBe(true);
    expect(identifyTraitsSchema.safeParse({ email: 'not an address' }).success).toBe(false);
  });

  it('the schema carries a caller message', () => {
    const parsed = emailSchema('Enter a valid email.').safeParse('nope');
    expect(parsed.success || parsed.error.issues[0]?.message).toBe('Enter a valid email.');
  });
});
