import { afterEach, describe, expect, it } from 'vitest';
import { secureCookies } from '@/lib/common/cookies';
import { resetEnvCache } from '@/lib/env';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

const withAppUrl = (url: string | undefined) => {
  process.env = { ...saved, APP_URL: url } as NodeJS.ProcessEnv;
  if (url === undefined) delete process.env.APP_URL;
  resetEnvCache();
};
const request = (url: string | undefined, headers: Record<string, string> = {}) => ({
  url,
  headers: new Headers(headers),
});

describe('secureCookies: the one Secure-flag decision', () => {
  it('is on whenever the public origin is https, whatever the request says', () => {
    withAppUrl('https://shop.example');
    expect(secureCookies(request('http://127.0.0.1:3000/'))).toBe(true);
    expect(secureCookies(request(undefined))).toBe(true);
  });

  it('follows the request on a plain-http origin: https directly or through a proxy', () => {
    withAppUrl('http://localhost:3000');
    expect(secureCookies(request('http://localhost:3000/'))).toBe(false);
    expect(secureCookies(request(undefined))).toBe(false);
    expect(secureCookies(request('https://localhost:3000/'))).toBe(true);
    expect(secureCookies(request('http://localhost:3000/', { 'x-forwarded-proto': 'https' }))).toBe(true);
    expect(secureCookies(request(undefined, { 'x-forwarded-proto': 'https, http' }))).toBe(true);
    // The proxy's word wins over the hop it forwarded on.
    expect(secureCookies(request('https://internal/', { 'x-forwarded-proto': 'http' }))).toBe(false);
  });
});
