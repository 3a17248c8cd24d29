import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardRenderedLinks, keepShopLinks, shopLink } from '@/lib/cdp/engine/messages/links';

const SHOP = 'https://shop.test';

describe('shopLink: http(s) on the shop origin, or the shop URL', () => {
  it('keeps the shop own links as written and makes paths absolute', () => {
    expect(shopLink('https://shop.test/products/x?variant=1&a=2', SHOP)).toBe(
      'https://shop.test/products/x?variant=1&a=2',
    );
    expect(shopLink('/cart/restore/abc', SHOP)).toBe('https://shop.test/cart/restore/abc');
  });

  it('replaces every other scheme, host, port and disguise', () => {
    for (const bad of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'https://evil.example/pixel.gif',
      'https://shop.test.evil.example/x',
      'https://shop.test@evil.example/x',
      'http://shop.test:8080/x',
      'ftp://shop.test/x',
      '//evil.example/x',
      '/\\evil.example/x',
      '/\t/evil.example/x',
      'mailto:a@b.c',
      'not a url',
      42,
      null,
    ])
      expect(shopLink(bad, SHOP), String(bad)).toBe(SHOP);
  });
});

describe('keepShopLinks', () => {
  it('checks every string under a …url key, at any depth, and nothing else', () => {
    const data = {
      customer: {
        first_name: 'javascript:alert(1)',
        cart: {
          restore_url: 'https://shop.test/cart/restore/t',
          items: [{ name: 'x', image_url: 'https://evil.example/p.gif', product_url: 'javascript:alert(1)' }],
        },
      },
    };
    expect(keepShopLinks(data, SHOP)).toEqual({
      customer: {
        first_name: 'javascript:alert(1)',
        cart: {
          restore_url: 'https://shop.test/cart/restore/t',
          items: [{ name: 'x', image_url: SHOP, product_url: SHOP }],
        },
      },
    });
    // The data itself is left as it was: only the copy has the shop's links.
    expect(data.customer.cart.items[0]!.image_url).toBe('https://evil.example/p.gif');
  });

  it('answers for the shop it is asked about, however often a link was checked before', () => {
    const link = 'https://shop.test/products/serum';
    for (let i = 0; i < 3; i++) {
      expect(shopLink(link, SHOP)).toBe(link);
      expect(shopLink(link, 'https://other.test')).toBe('https://other.test');
      expect(shopLink('/p/x', 'https://other.test')).toBe('https://other.test/p/x');
      expect(shopLink('/p/x', SHOP)).toBe(`${SHOP}/p/x`);
    }
  });
});

describe('guardRenderedLinks', () => {
  it('replaces links off the shop in every attribute a client fetches or follows, and in CSS', () => {
    const html = [
      '<a href="https://shop.test/a?x=1&amp;y=2">ok</a>',
      '<a href="&#106;avascript&#58;alert(1)">x</a>',
      "<img src='https://evil.example/pixel.gif'>",
      '<img src=https://evil.example/p2.gif>',
      '<td background="https://evil.example/bg.png" style="background:url(https://evil.example/c.png)">',
    ].join('\n');
    const guarded = guardRenderedLinks({ subject: 's', html, text: '' }, SHOP).html;
    expect(guarded).toContain('<a href="https://shop.test/a?x=1&amp;y=2">ok</a>');
    expect(guarded).not.toMatch(/evil|javascript|&#106;/i);
    expect(guarded.match(/"https:\/\/shop\.test"/g)).toHaveLength(4);
    expect(guarded).toContain("url('https://shop.test')");
  });

  it('replaces links off the shop in the text and the subject', () => {
    const guarded = guardRenderedLinks(
      { subject: 'see https://evil.example', html: '', text: 'go https://shop.test/x or javascript:alert`1`' },
      SHOP,
    );
    expect(guarded.subject).toBe('see https://shop.test');
    expect(guarded.text).toBe('go https://shop.test/x or https://shop.test');
    const punctuated = 'Glowlab (https://shop.test), or (https://evil.example/x).';
    expect(guardRenderedLinks({ subject: '', html: '', text: punctuated }, SHOP).text).toBe(
      'Glowlab (https://shop.test), or (https://shop.test).',
    );
  });

  it('guards links run into other text: after a digit, an underscore or punctuation', () => {
    const text = 'a_https://evil.example/1 1.http://evil.example/2 x+https://evil.example/3 ok https://shop.test/y.';
    expect(guardRenderedLinks({ subject: '', html: '', text }, SHOP).text).toBe(
      'a_https://shop.test https://shop.test https://shop.test ok https://shop.test/y.',
    );
  });

  // What the CSS rule matched before it became a scan (replaceCssUrls): the same url(…) must be replaced.
  const CSS_URL = /url\(\s*(['"]?)([^'")]*)\1\s*\)/gi;
  const asBefore = (html: string) =>
    html.replace(CSS_URL, (_whole, _quote, raw: string) => `url('${shopLink(raw.trim(), SHOP)}')`);

  it('replaces exactly the CSS url(…) the url(…) rule matched, in any mix of quotes, spaces and parentheses', () => {
    const piece = fc.constantFrom('url(', 'URL(', "'", '"', ')', '(', ' ', '\t', 'a', 'https://evil.example/x', ':');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const html = pieces.join('');
        expect(guardRenderedLinks({ subject: '', html, text: '' }, SHOP).html).toBe(asBefore(html));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads 30 KB of hostile text and CSS in an event as any other: every link off the shop replaced', () => {
    // Each of these took 0.3-0.8 s per email with the regexes before (one read per url( or per character).
    const name = 'a.'.repeat(15_000) + 'https://evil.example/n';
    const css = 'url('.repeat(7_500) + 'https://evil.example/c)';
    const spaced = 'url( '.repeat(6_000);
    const tail = 'https://shop.test/p' + ')'.repeat(30_000) + 'x';
    const guarded = guardRenderedLinks(
      { subject: '', html: `<p style="${css}">${spaced}</p>`, text: `${name} ${tail}` },
      SHOP,
    );
    // Compared as booleans: a diff of 30 KB strings helps no one.
    expect(guarded.text === `https://shop.test ${tail}`).toBe(true);
    expect(guarded.html === `<p style="url('https://shop.test')">${spaced}</p>`).toBe(true);
  });
});
