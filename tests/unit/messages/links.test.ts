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
});
