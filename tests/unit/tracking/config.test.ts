import { describe, expect, it } from 'vitest';
import {
  browserTrackingConfig,
  browserTrackingConfigProblems,
  originFromHeaders,
  serverTrackingEndpoint,
} from '@/lib/tracking/config';

const base = { writeKey: 'k', consentMode: 'opt-out' as const, strict: true };

describe('browser tracking config', () => {
  it('builds a first-party endpoint from the request origin, without scheme', () => {
    expect(browserTrackingConfig({ ...base, origin: 'http://localhost:3000' })).toEqual({
      writeKey: 'k',
      apiHost: 'localhost:3000/api/cdp/v1',
      protocol: 'http',
      consentMode: 'opt-out',
      strict: true,
    });
    const https = browserTrackingConfig({ ...base, origin: 'https://shop.example.com/', apiPath: '/collect/v1/' });
    expect(https.apiHost).toBe('shop.example.com/collect/v1');
    expect(https.protocol).toBe('https');
  });

  it('rejects a config the SDK would misuse', () => {
    const ok = {
      writeKey: 'k',
      apiHost: '127.0.0.1:4000/api/cdp/v1',
      protocol: 'http',
      consentMode: 'opt-in',
      strict: false,
    };
    expect(browserTrackingConfigProblems(ok)).toEqual([]);
    for (const bad of <Record<string, string>[]>[
      { ...ok, apiHost: 'http://localhost:3000/api/cdp/v1' },
      { ...ok, apiHost: 'localhost:3000/api/cdp/v1/' },
      { ...ok, protocol: 'ftp' },
      { ...ok, consentMode: 'maybe' },
      { ...ok, writeKey: '' },
      { ...ok, strict: 'yes' },
    ]) {
      expect(browserTrackingConfigProblems(bad), JSON.stringify(bad)).toHaveLength(1);
    }
  });

  const h = (init: Record<string, string>) => new Headers(init);
  const proxied = { host: 'internal:3000', 'x-forwarded-host': 'shop.example.com', 'x-forwarded-proto': 'https, http' };

  it('derives the origin from the Host header and falls back on a missing or malformed one', () => {
    expect(originFromHeaders(h({ host: '127.0.0.1:4123' }), 'http://localhost:3000')).toBe('http://127.0.0.1:4123');
    expect(originFromHeaders(h({ host: 'shop.example.com' }), 'https://x.example')).toBe('https://shop.example.com');
    expect(originFromHeaders(h({ host: 'evil.com/path?x' }), 'https://shop.example.com/x')).toBe(
      'https://shop.example.com',
    );
    expect(originFromHeaders(h({}), 'http://localhost:3000')).toBe('http://localhost:3000');
  });

  // Behind a CDN, a forged X-Forwarded-Host made a cached page send every visitor's events to the forger's host.
  it('ignores X-Forwarded-Host / -Proto unless the caller trusts the proxy that sets them', () => {
    const forged = { host: 'shop.example.com', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
    expect(originFromHeaders(h(forged), 'https://shop.example.com')).toBe('https://shop.example.com');
    expect(originFromHeaders(h(forged), 'https://shop.example.com', { trustForwarded: false })).toBe(
      'https://shop.example.com',
    );
    expect(originFromHeaders(h(proxied), 'http://localhost:3000')).toBe('http://internal:3000');
  });

  it('believes a trusted proxy’s X-Forwarded-Host / -Proto (first value), and falls back on malformed ones', () => {
    const trusted = { trustForwarded: true };
    expect(originFromHeaders(h(proxied), 'http://localhost:3000', trusted)).toBe('https://shop.example.com');
    expect(
      originFromHeaders(
        h({ host: 'internal:3000', 'x-forwarded-host': ' shop.example.com , evil.example' }),
        'https://a.example',
        trusted,
      ),
    ).toBe('https://shop.example.com');
    // Only one of them sent: the other from Host / the fallback's protocol; an empty first value counts as none.
    expect(
      originFromHeaders(h({ host: 'internal:3000', 'x-forwarded-proto': 'https' }), 'http://a.example', trusted),
    ).toBe('https://internal:3000');
    expect(
      originFromHeaders(
        h({ host: 'internal:3000', 'x-forwarded-host': ', evil.example' }),
        'http://a.example',
        trusted,
      ),
    ).toBe('http://internal:3000');
    const malformed: Record<string, string>[] = [
      { 'x-forwarded-host': 'evil.example/path' },
      { 'x-forwarded-host': 'evil.example@x' },
      { 'x-forwarded-host': 'shop.example.com', 'x-forwarded-proto': 'javascript' },
    ];
    for (const bad of malformed)
      expect(
        originFromHeaders(h({ host: 'internal:3000', ...bad }), 'https://shop.example.com/x', trusted),
        JSON.stringify(bad),
      ).toBe('https://shop.example.com');
  });

  it('splits the node SDK endpoint so host and path resolve to the batch URL', () => {
    const { host, path } = serverTrackingEndpoint('http://localhost:3000/ignored');
    expect(new URL(path, host).href).toBe('http://localhost:3000/api/cdp/v1/batch');
  });
});
