import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { addressBlock } from '@/lib/common/address-block';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { handleOpsSessionPost, OPS_SIGN_IN_LIMIT } from '@/lib/cdp/ops/session-route';
import { track, ingestRouteSuite } from './support';

// One client may send CDP_RATE_LIMIT calls a second, counted over 10 s; here 2, so 20 per window. An IPv6 client
// holds a whole block of addresses (a /56 or more): counted per address, it had a fresh allowance per address.
const KEY = 'rate-v6-browser-key';
const LIMIT = 20;
const route = ingestRouteSuite({
  CDP_WRITE_KEY: KEY,
  CDP_SERVER_WRITE_KEY: 'rate-v6-server-key-0123456789',
  CDP_RATE_LIMIT: '2',
  OPS_TOKEN: 'ops-token-for-v6-tests',
  APP_URL: 'http://shop.test',
});
let db: DB;
beforeAll(() => {
  db = route.db();
});

const post = async (from: string) => {
  const body = { ...track('Product Viewed', { anonymousId: crypto.randomUUID() }), writeKey: KEY };
  const headers = { 'content-type': 'text/plain', 'x-forwarded-for': from };
  const request = new Request('http://127.0.0.1/api/cdp/v1/t', { method: 'POST', headers, body: JSON.stringify(body) });
  return (await handleIngest(request, ['t'])).status;
};

describe('the client an address belongs to', () => {
  it('is an IPv6 address’s /56, whatever its notation', () => {
    expect(addressBlock('2001:db8:1:2::1')).toBe('2001:db8:1:0::/56');
    expect(addressBlock('2001:0db8:0001:02ff:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:200::/56');
    expect(addressBlock('[2001:db8:1:2ab::5]')).toBe('2001:db8:1:200::/56');
    expect(addressBlock('fe80::1%eth0')).toBe('fe80:0:0:0::/56');
    expect(addressBlock('::1')).toBe('0:0:0:0::/56');
    expect(addressBlock('64:ff9b::198.51.100.9')).toBe('64:ff9b:0:0::/56');
  });
  it('is the IPv4 address an IPv4-mapped one carries; IPv4 and anything else as it is', () => {
    expect(addressBlock('::ffff:198.51.100.9')).toBe('198.51.100.9');
    expect(addressBlock('::FFFF:c633:6409')).toBe('198.51.100.9');
    expect(addressBlock('198.51.100.9')).toBe('198.51.100.9');
    expect(addressBlock('unknown')).toBe('unknown');
    expect(addressBlock('2001:db8::g')).toBe('2001:db8::g');
  });
});

describe('the ingest rate limit for IPv6 clients', () => {
  it('counts every address of one /56 together: a new address per call does not get past it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 3; i++) statuses.push(await post(`2001:db8:a:${(i * 7).toString(16)}::${i + 1}`));
    expect(statuses.slice(0, LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual([429, 429, 429]);
    // Another /56 is another client.
    expect(await post('2001:db8:a:100::1')).toBe(200);
  });
  it('counts an IPv4 client the same whether it is reported plain or IPv4-mapped', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push(await post(i % 2 ? '203.0.113.70' : '::ffff:203.0.113.70'));
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
  });
});

describe('the console sign-in limit for IPv6 clients', () => {
  it('counts wrong tokens per /56, not per address', async () => {
    const form = (token: string, from: string) =>
      new Request('http://127.0.0.1:3000/api/ops/session', {
        method: 'POST',
        headers: { 'sec-fetch-site': 'same-origin', 'x-forwarded-for': from },
        body: new URLSearchParams({ token }),
      });
    for (let i = 0; i < OPS_SIGN_IN_LIMIT; i++) {
      const wrong = await handleOpsSessionPost(form(`guess-${i}`, `2001:db8:b:${i}::${i + 1}`), db);
      expect(wrong.headers.get('location')).toBe('/ops/login?error=invalid');
    }
    const next = await handleOpsSessionPost(form('guess-next', '2001:db8:b:ff::77'), db);
    expect(next.headers.get('location')).toBe('/ops/login?error=locked&minutes=15');
  });
});
