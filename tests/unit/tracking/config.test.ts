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
    for (const bad of [
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

  it('derives the origin from Host / X-Forwarded-* and falls back on malformed headers', () => {
    const h = (init: Record<string, string>) => new Headers(init);
    expect(originFromHeaders(h({ host: '127.0.0.1:4123' }), 'http://localhost:3000')).toBe('http://127.0.0.1:4123');
    expect(
      originFromHeaders(
        h({ host: 'internal:3000', 'x-forwarded-host': 'shop.example.com', 'x-forwarded-proto': 'https, http' }),
        'http://localhost:3000',
      ),
    ).toBe('https://shop.example.com');
    expect(originFromHeaders(h({ host: 'evil.com/path?x' }), 'https://shop.example.com/x')).toBe(
      'https://shop.example.com',
    );
    expect(originFromHeaders(h({}), 'http://localhost:3000')).toBe('http://localhost:3000');
  });

  it('splits the node SDK endpoint so host and path resolve to the batch URL', () => {
    const { host, path } = serverTrackingEndpoint('http://localhost:3000/ignored');
    expect(new URL(path, host).href).toBe('http://localhost:3000/api/cdp/v1/batch');
  });
});
