import { domainToUnicode } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '@/lib/tracking/email';
import { canonicalDomain } from '@/lib/tracking/email-domain';

// One mailbox, one customer: an internationalised domain typed in Unicode or sent in its ASCII form (some clients
// and autofill do) is one spelling, with Node's own IDNA (url.domainToUnicode) as the reference.
const DOMAINS = [
  'bücher.de',
  'xn--bcher-kva.de',
  'XN--BCHER-KVA.DE',
  'BÜCHER.de',
  'ｂüｃｈｅｒ.de', // full-width letters
  '例子.中国',
  'xn--fsqu00a.xn--fiqs8s',
  'faß.de',
  'xn--fa-hia.de',
  'пример.рф',
  'xn--e1afmkfd.xn--p1ai',
  'exemple.fr',
  'sub.xn--mnchen-3ya.de',
];

describe('email domains', () => {
  it.each(DOMAINS)('%s is spelled as Node’s IDNA spells it in Unicode', (domain) => {
    expect(canonicalDomain(domain)).toBe(domainToUnicode(domain));
  });

  it('makes the Unicode and ASCII forms of an address one address, the local part untouched but for case', () => {
    expect(normalizeEmail(' User@XN--BCHER-KVA.de ')).toBe('user@bücher.de');
    expect(normalizeEmail('user@bücher.de')).toBe('user@bücher.de');
    expect(normalizeEmail('用户@xn--fsqu00a.xn--fiqs8s')).toBe('用户@例子.中国');
    expect(normalizeEmail('Ada+Shop@Example.COM')).toBe('ada+shop@example.com');
    // The local part is never decoded: `xn--` there is just letters.
    expect(normalizeEmail('xn--bcher-kva@example.com')).toBe('xn--bcher-kva@example.com');
  });

  it('leaves what is no valid domain as it was (lower-cased), for the email rule to judge', () => {
    for (const odd of ['xn--zz-.de', 'xn--a.de', 'a..b', 'a:b@c', 'xn--', 'ex ample.com'])
      expect(canonicalDomain(odd)).toBe(odd.toLowerCase());
    expect(normalizeEmail('user@XN--.de')).toBe('user@xn--.de');
  });

  it('decodes every A-label of the domain (punycode.js, RFC 3492)', () => {
    expect(canonicalDomain('xn--mnchen-3ya.xn--bcher-kva.de')).toBe('münchen.bücher.de');
    expect(canonicalDomain('XN--IHQWCRB4CV8A8DQG056PQJYE.com')).toBe('他们为什么不说中文.com');
    expect(normalizeEmail('Li@xn--ihqwcrb4cv8a8dqg056pqjye.com')).toBe('li@他们为什么不说中文.com');
  });
});
