import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lightenSdkStorage, type SdkStorageClasses } from '@/lib/tracking/sdk-storage';

/**
 * lib/tracking/sdk-storage.ts on the SDK's own storage classes (its CommonJS build: the package root also loads its
 * in-app plugin, which needs a DOM), in a stand-in page: a cookie jar and a localStorage that count their writes.
 * Each scenario runs on the SDK as shipped, then on the lightened one: what is stored after every step must be the
 * same, with fewer writes. The e2e suite covers the tracking this serves with the real SDK in a browser.
 */
type SdkUser = {
  id(id?: string | null): string | null | undefined;
  anonymousId(id?: string | null): string | null | undefined;
  identify(id?: string, traits?: Record<string, unknown>): void;
  reset(): void;
};
type UserModule = SdkStorageClasses & { User: new (options?: object, cookieOptions?: object) => { load(): SdkUser } };
const SDK_USER_MODULE = '@customerio/cdp-analytics-browser/dist/cjs/core/user/index.js';

const PROXY_ID = '0b5c6f3e-8d1a-4c2b-9e7f-1a2b3c4d5e6f';
const ROTATED_ID = '7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908';
const COOKIE_OPTIONS = { domain: undefined, path: '/', sameSite: 'Lax', maxage: 365, secure: false };

/** A page of `host`: cookies by name (attributes ignored, a past expiry deletes), localStorage, and their writes. */
function newPage(host: string, cookies: Record<string, string> = {}) {
  const jar = new Map(Object.entries(cookies));
  const stored = new Map<string, string>();
  const writes: string[] = [];
  vi.stubGlobal('document', {
    get cookie() {
      return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    },
    set cookie(line: string) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      writes.push(`cookie ${name}`);
      const expires = attributes.find((a) => a.trim().toLowerCase().startsWith('expires='));
      if (expires && Date.parse(expires.split('=')[1] ?? '') < Date.now()) jar.delete(name);
      else jar.set(name, pair.slice(name.length + 1));
    },
  });
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => {
      writes.push(`localStorage ${key}`);
      stored.set(key, String(value));
    },
    removeItem: (key: string) => {
      writes.push(`localStorage ${key}`);
      stored.delete(key);
    },
  });
  const location = { hostname: host, href: `https://${host}/products/niacinamide-serum` };
  vi.stubGlobal('location', location);
  vi.stubGlobal('window', { location, navigator: { cookieEnabled: true } });
  const state = () => ({ cookies: Object.fromEntries(jar), localStorage: Object.fromEntries(stored) });
  return { jar, writes, state };
}

/** A shopper's page: the SDK reads both ids per call, the shopper signs in, the server rotates the id, a logout. */
function shopperPage(sdk: UserModule) {
  const page = newPage('127.0.0.1', { ajs_anonymous_id: PROXY_ID });
  const user = new sdk.User(undefined, COOKIE_OPTIONS).load();
  const states = [];
  for (let call = 0; call < 4; call++) states.push([user.anonymousId(), user.id(), page.state()]);
  user.identify('cus_8f2a', { email: 'ada@example.com' });
  for (let call = 0; call < 2; call++) states.push([user.anonymousId(), user.id(), page.state()]);
  page.jar.set('ajs_anonymous_id', ROTATED_ID); // a server action's Set-Cookie, behind the SDK's back
  states.push([user.anonymousId(), user.id(), page.state()]);
  user.reset();
  states.push([user.id(), page.state()]);
  return { states, writes: page.writes };
}

/** The SDK makes a user, a group and a storage per load, each probing localStorage and the top domain. */
function storesMade(sdk: UserModule, host: string) {
  const page = newPage(host);
  for (let made = 0; made < 5; made++) new sdk.User(undefined, COOKIE_OPTIONS).load();
  return page.writes;
}

describe('lightenSdkStorage', () => {
  let sdk: UserModule;
  const shipped: { shopper?: ReturnType<typeof shopperPage>; ip?: string[]; named?: string[] } = {};
  const original: { set?: unknown; available?: unknown; defaults?: PropertyDescriptor } = {};

  beforeAll(async () => {
    sdk = (await import(/* @vite-ignore */ SDK_USER_MODULE)) as UserModule;
    shipped.shopper = shopperPage(sdk);
    shipped.ip = storesMade(sdk, '127.0.0.1');
    shipped.named = storesMade(sdk, 'shop.example.com');
    original.set = sdk.Cookie.prototype.set;
    original.available = sdk.LocalStorage.available;
    original.defaults = Object.getOwnPropertyDescriptor(sdk.Cookie, 'defaults');
    lightenSdkStorage(sdk);
    lightenSdkStorage(sdk); // idempotent: a second call must not wrap the first
  });

  afterAll(() => {
    // The SDK's classes are shared with the worker's other files (isolate: false): put them back as shipped.
    sdk.Cookie.prototype.set = original.set as typeof sdk.Cookie.prototype.set;
    sdk.LocalStorage.available = original.available as typeof sdk.LocalStorage.available;
    Object.defineProperty(sdk.Cookie, 'defaults', original.defaults!);
    vi.unstubAllGlobals();
  });

  it('stores what the shipped SDK stores after every step, with one cookie write per cookie that stays unchanged', () => {
    const lightened = shopperPage(sdk);
    expect(lightened.states).toEqual(shipped.shopper!.states);

    const cookieWrites = (writes: string[]) => writes.filter((w) => w.startsWith('cookie ajs_')).length;
    expect(cookieWrites(shipped.shopper!.writes)).toBeGreaterThan(20);
    // One renewal of each id cookie, the new user id, the rotated id written back from localStorage, and the
    // reset's removals: the writes that change something, plus one per cookie per page.
    expect(cookieWrites(lightened.writes)).toBeLessThanOrEqual(8);
    expect(lightened.writes.filter((w) => w === 'cookie ajs_anonymous_id').length).toBeGreaterThanOrEqual(3);
  });

  it('probes localStorage once per page, where the shipped SDK probes it for every store', () => {
    const probes = (writes: string[]) => writes.filter((w) => w === 'localStorage test').length;
    expect(probes(shipped.ip!)).toBe(2 * 5 * 2); // a write and a delete, for each of 2 stores per user, 5 users
    // Once found available (by the first store made since the patch, in this test or the one before), never again.
    expect(probes(storesMade(sdk, '127.0.0.1'))).toBeLessThanOrEqual(2);
    expect(probes(storesMade(sdk, '127.0.0.1'))).toBe(0);
  });

  it('probes the top domain with cookies once per host, where the shipped SDK probes it for every cookie store', () => {
    const probes = (writes: string[]) => writes.filter((w) => w === 'cookie __tld__').length;
    expect(probes(shipped.named!)).toBeGreaterThanOrEqual(10);
    expect(probes(storesMade(sdk, 'shop.example.com'))).toBe(2); // a write and a delete, once
    expect(probes(storesMade(sdk, 'shop.example.com'))).toBe(0);
    expect(probes(storesMade(sdk, 'other.example.org'))).toBe(2); // another host is probed again
  });
});
