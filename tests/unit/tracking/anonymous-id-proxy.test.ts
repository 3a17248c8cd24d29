import { NextRequest, NextResponse } from 'next/server';
import { describe, expect, it } from 'vitest';
import { anonymousIdProxy, applyAnonymousId, isDocumentRequest } from '@/lib/tracking/anonymous-id-proxy';
import { isValidAnonymousId } from '@/lib/tracking/cookies';

const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function request(path: string, headers: Record<string, string> = {}, init: { method?: string; origin?: string } = {}) {
  return new NextRequest(new URL(path, init.origin ?? 'http://localhost:3000'), {
    method: init.method ?? 'GET',
    headers: { accept: HTML, ...headers },
  });
}

/** The ajs_anonymous_id Set-Cookie header of a response, or undefined. */
function setCookie(response: NextResponse): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith('ajs_anonymous_id='));
}
const cookieValue = (header: string | undefined) => header?.split(';')[0]?.split('=')[1];

describe('anonymous id proxy', () => {
  it('mints a UUID v4 on a first document request, as a 1-year Lax cookie readable by JS', () => {
    const header = setCookie(anonymousIdProxy(request('/products/vitamin-c'), 'opt-out'));
    expect(header).toBeDefined();
    expect(isValidAnonymousId(cookieValue(header))).toBe(true);
    expect(header).toMatch(/Path=\//);
    expect(header).toMatch(/Max-Age=31536000/);
    expect(header).toMatch(/SameSite=lax/i);
    expect(header).not.toMatch(/HttpOnly/i);
    expect(header).not.toMatch(/Secure/i);
  });

  it('mints a different id for each new visitor', () => {
    const a = cookieValue(setCookie(anonymousIdProxy(request('/'), 'opt-out')));
    const b = cookieValue(setCookie(anonymousIdProxy(request('/'), 'opt-out')));
    expect(a).not.toBe(b);
  });

  it('re-issues the existing id on later document requests', () => {
    const header = setCookie(anonymousIdProxy(request('/', { cookie: `ajs_anonymous_id=${ANON}` }), 'opt-out'));
    expect(cookieValue(header)).toBe(ANON);
    expect(header).toMatch(/Max-Age=31536000/);
  });

  it('replaces a malformed id and marks the cookie Secure over https', () => {
    const header = setCookie(
      anonymousIdProxy(
        request('/', { cookie: 'ajs_anonymous_id=guest' }, { origin: 'https://shop.example.com' }),
        'opt-out',
      ),
    );
    expect(cookieValue(header)).not.toBe('guest');
    expect(isValidAnonymousId(cookieValue(header))).toBe(true);
    expect(header).toMatch(/Secure/);
    const proxied = setCookie(anonymousIdProxy(request('/', { 'x-forwarded-proto': 'https' }), 'opt-out'));
    expect(proxied).toMatch(/Secure/);
  });

  it('lets the shop decide the Secure flag itself', () => {
    expect(setCookie(anonymousIdProxy(request('/'), 'opt-out', { secure: true }))).toMatch(/Secure/);
    const https = request('/', {}, { origin: 'https://shop.example.com' });
    expect(setCookie(anonymousIdProxy(https, 'opt-out', { secure: false }))).not.toMatch(/Secure/);
  });

  it('makes the minted cookie visible to the same request (x-middleware-set-cookie)', () => {
    const response = anonymousIdProxy(request('/'), 'opt-out');
    expect(response.headers.get('x-middleware-set-cookie')).toMatch(/^ajs_anonymous_id=/);
  });

  it('respects consent: nothing under opt-in until granted, nothing once denied', () => {
    expect(setCookie(anonymousIdProxy(request('/'), 'opt-in'))).toBeUndefined();
    expect(setCookie(anonymousIdProxy(request('/', { cookie: 'glowlab_consent=denied' }), 'opt-in'))).toBeUndefined();
    expect(setCookie(anonymousIdProxy(request('/', { cookie: 'glowlab_consent=denied' }), 'opt-out'))).toBeUndefined();
    expect(setCookie(anonymousIdProxy(request('/', { cookie: 'glowlab_consent=granted' }), 'opt-in'))).toBeDefined();
    // unset: the default, opt-out
    expect(setCookie(anonymousIdProxy(request('/'), undefined))).toBeDefined();
  });

  it('refuses a consent mode it does not know, naming the variable, instead of tracking as opt-out', () => {
    for (const typo of ['optin', 'opt_in', 'Opt-In', ' opt-in', '', 'true']) {
      const attempt = () => anonymousIdProxy(request('/'), typo);
      expect(attempt, typo).toThrow(`CONSENT_MODE is ${JSON.stringify(typo)}: set it to "opt-out"`);
      expect(() => applyAnonymousId(request('/api/cdp/v1/t'), NextResponse.next(), typo)).toThrow(/CONSENT_MODE/);
    }
  });

  it('skips requests that are not documents', () => {
    const skipped = [
      request('/api/cdp/v1/t'),
      request('/_next/static/chunks/app.js'),
      request('/products/serum.svg'),
      request('/favicon.ico'),
      request('/products', { accept: 'text/x-component', rsc: '1' }),
      request('/products', { 'next-router-prefetch': '1' }),
      request('/products', { accept: 'application/json' }),
      request('/products', { 'sec-fetch-dest': 'image' }),
      request('/checkout', {}, { method: 'POST' }),
    ];
    for (const r of skipped) {
      expect(isDocumentRequest(r), `${r.method} ${r.nextUrl.pathname}`).toBe(false);
      expect(setCookie(anonymousIdProxy(r, 'opt-out'))).toBeUndefined();
    }
    expect(isDocumentRequest(request('/products', { 'sec-fetch-dest': 'document', accept: '*/*' }))).toBe(true);
  });

  it('can add the cookie to a response another proxy built', () => {
    const response = applyAnonymousId(request('/'), NextResponse.next({ headers: { 'x-shop': '1' } }), 'opt-out');
    expect(response.headers.get('x-shop')).toBe('1');
    expect(setCookie(response)).toBeDefined();
  });
});
