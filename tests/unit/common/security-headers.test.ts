import { describe, expect, it } from 'vitest';
import { previewDocument } from '@/components/ops/preview-document';
import {
  NONCE_PAGE,
  newNonce,
  pageContentSecurityPolicy,
  staticPageContentSecurityPolicy,
} from '@/lib/common/security-headers';

const directives = (policy: string) =>
  Object.fromEntries(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );

describe('the page Content-Security-Policy', () => {
  it('runs only scripts carrying this response’s nonce, talks only to this origin, and cannot be framed', () => {
    const nonce = newNonce();
    const policy = directives(
      pageContentSecurityPolicy({ nonce, development: false, imageOrigins: ['http://shop.test'] }),
    );
    expect(policy['script-src']).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['img-src']).toEqual(["'self'", 'data:', 'blob:', 'http://shop.test']);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['upgrade-insecure-requests']).toBeUndefined();
    expect(newNonce()).not.toBe(nonce);
  });

  it('for pages without personal data: no nonce (their HTML is prerendered), every other directive as strict', () => {
    const options = { development: false, imageOrigins: ['http://shop.test'] };
    const strict = directives(pageContentSecurityPolicy({ nonce: 'n', ...options }));
    const open = directives(staticPageContentSecurityPolicy(options));
    expect(open['script-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect({ ...open, 'script-src': [] }).toEqual({ ...strict, 'script-src': [] });
  });

  it('keeps the nonce for the pages rendered per request with personal data', () => {
    const nonced = ['/account', '/account/login', '/checkout', '/orders/ord_1', '/cart/restore/t', '/unsubscribe/t'];
    for (const path of [...nonced, '/ops', '/ops/people/x']) expect(NONCE_PAGE.test(path), path).toBe(true);
    for (const path of ['/', '/collections', '/collections/serums', '/products/x', '/cart', '/search', '/quiz', '/x'])
      expect(NONCE_PAGE.test(path), path).toBe(false);
  });

  it('allows eval only for next dev, and upgrades requests over https', () => {
    expect(pageContentSecurityPolicy({ nonce: 'n', development: true })).toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy({ nonce: 'n', development: false })).not.toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy({ nonce: 'n', development: false, https: true })).toContain(
      'upgrade-insecure-requests',
    );
  });
});

describe('the email preview document', () => {
  it('puts its own policy first in <head>: images only from the shop, nothing else loads', () => {
    const doc = previewDocument(
      '<html><head><style>p{}</style></head><body><img src="https://evil.example/p.gif"></body></html>',
      ['http://shop.test'],
    );
    const meta =
      /<head><meta http-equiv="Content-Security-Policy" content="([^"]+)"><base target="_blank"><style>/.exec(doc);
    expect(meta).not.toBeNull();
    expect(directives(meta![1]!)).toEqual({
      'default-src': ["'none'"],
      'style-src': ["'unsafe-inline'"],
      'img-src': ['data:', 'http://shop.test'],
    });
  });

  it('wraps a message without <head> so the policy still comes first', () => {
    expect(previewDocument('<p>Hi</p>', [])).toMatch(
      /^<!doctype html><html><head><meta http-equiv="Content-Security-Policy"[^>]+><base target="_blank"><\/head><body><p>Hi<\/p>/,
    );
  });
});
