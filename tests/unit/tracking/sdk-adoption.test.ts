import type { AnalyticsBrowser as Sdk } from '@customerio/cdp-analytics-browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HeldCall } from '@/lib/tracking/carry-over';
import type { CallMade } from '@/lib/tracking/page-context';
import { make } from '@/lib/tracking/sdk-calls';

/**
 * lib/tracking/sdk-calls.ts: which anonymous id the SDK goes on with when the server rotated it for an identify.
 * The cookie alone misleads: the SDK re-syncs every store at each read, so a call it makes before adopting the
 * rotated id writes its old id back over the server's cookie (sdk-storage.test.ts shows it on the SDK's own storage
 * classes), and a second answer can rotate the cookie again before the first answer's identify is made (an email
 * corrected at checkout, then changed back: cart-recovery.spec.ts). The e2e suite runs this on the real SDK.
 */
const BEFORE = '0b5c6f3e-8d1a-4c2b-9e7f-1a2b3c4d5e6f';
const ROTATED = '7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908';
const LATER = '3c2b1a09-8f7e-4d6c-9b5a-493827161504';
const HREF = 'https://shop.test/checkout';
const MADE: CallMade = [new Date('2026-12-05T20:00:00Z'), HREF, { href: HREF, referrer: '', title: 'Checkout' }];

/** An SDK stand-in holding `held` as its anonymous id, logging what it is asked in order. */
function fakeSdk(held: string) {
  let anonymousId = held;
  const log: string[] = [];
  const user = {
    anonymousId: () => anonymousId,
    id: (id?: string | null) => void (id === null && log.push('forget user')),
    traits: () => ({}),
  };
  const sdk = {
    instance: {},
    // The SDK's reset deletes the anonymous id too, so it must not be used (see the last test).
    reset: async () => void log.push('reset, deleting the anonymous id'),
    setAnonymousId: async (id: string) => {
      anonymousId = id;
      log.push(`set ${id}`);
    },
    user: async () => user,
    identify: async (userId: string) => void log.push(`identify ${userId} as ${anonymousId}`),
  };
  return { sdk: sdk as unknown as Sdk, log };
}

type SdkUser = { id(id?: string | null): string | null; anonymousId(id?: string | null): string | null };
type SdkEvent = { userId?: string; anonymousId?: string };
type UserModule = { User: new (options?: object, cookieOptions?: object) => { load(): SdkUser } };
type EventsModule = {
  EventFactory: new (user: SdkUser) => Record<'identify' | 'track', (...args: unknown[]) => SdkEvent>;
};
const SDK = '@customerio/cdp-analytics-browser/dist/cjs/core';

/**
 * The SDK's own user (its stores on a stand-in localStorage and cookie jar) and event builder, called as its
 * `identify` calls them (core/analytics: the user's identify, then the event from the user and the options).
 */
function realSdk(stored: Record<string, string>) {
  const items = new Map(Object.entries(stored));
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
  });
  vi.stubGlobal('document', {
    // No cookies: the ids live in localStorage here, which the SDK reads first.
    get cookie() {
      return '';
    },
    set cookie(_line: string) {},
    referrer: '',
    title: 'Checkout',
  });
  const location = { hostname: '127.0.0.1', href: HREF };
  vi.stubGlobal('location', location);
  vi.stubGlobal('window', { location, navigator: { cookieEnabled: true } });
  const user = new sdkModules.user.User(undefined, { path: '/' }).load();
  const factory = new sdkModules.events.EventFactory(user);
  const log: string[] = [];
  const sdk = {
    instance: {},
    setAnonymousId: async (id: string) => void user.anonymousId(id),
    user: async () => user,
    identify: async (userId: string, traits: object, options: object) => {
      (user as unknown as { identify(id: string, traits: object): void }).identify(userId, traits);
      const built = factory.identify(user.id(), {}, options, {});
      log.push(`identify ${built.userId} as ${built.anonymousId}`);
    },
  };
  return { sdk: sdk as unknown as Sdk, log, user, event: (type: 'track') => factory[type]('Logged In', {}, {}, {}) };
}
const sdkModules = {
  user: (await import(/* @vite-ignore */ `${SDK}/user/index.js`)) as UserModule,
  events: (await import(/* @vite-ignore */ `${SDK}/events/index.js`)) as EventsModule,
};

async function run(sdk: Sdk, call: HeldCall) {
  await make(sdk, call, [call]);
}

const page = (cookie: string) => vi.stubGlobal('document', { cookie, referrer: '', title: 'Checkout' });

describe('the anonymous id the SDK goes on with', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it('a reset takes the id the answer named, though the SDK wrote its old id back into the cookie', async () => {
    page(`ajs_anonymous_id=${BEFORE}`);
    const { sdk, log } = fakeSdk(BEFORE);
    await run(sdk, ['reset', BEFORE, ROTATED]);
    expect(log).toEqual(['forget user', `set ${ROTATED}`]);
  });

  it('a reset takes the id the answer named, though a later answer rotated the cookie again', async () => {
    page(`ajs_anonymous_id=${LATER}`);
    const { sdk, log } = fakeSdk(BEFORE);
    await run(sdk, ['reset', BEFORE, ROTATED]);
    expect(log).toEqual(['forget user', `set ${ROTATED}`]);
  });

  it('without one (a logout without tracking), a reset takes the rotated cookie, else a new id', async () => {
    page(`ajs_anonymous_id=${ROTATED}`);
    const rotated = fakeSdk(BEFORE);
    await run(rotated.sdk, ['reset', BEFORE]);
    expect(rotated.log).toEqual(['forget user', `set ${ROTATED}`]);

    page(`ajs_anonymous_id=${BEFORE}`);
    const minted = fakeSdk(BEFORE);
    await run(minted.sdk, ['reset', BEFORE]);
    expect(minted.log).toHaveLength(2);
    expect(minted.log[0]).toBe('forget user');
    expect(minted.log[1]).toMatch(/^set [0-9a-f-]{36}$/);
    expect(minted.log[1]).not.toBe(`set ${BEFORE}`);
  });

  it('an identify goes out with the id the server identified the customer with, not the one the SDK held', async () => {
    page(`ajs_anonymous_id=${LATER}`);
    const { sdk, log } = fakeSdk(BEFORE);
    await run(sdk, ['identify', 'cus_ada0123456789abcd', {}, false, null, MADE, 'msg-1', ROTATED]);
    expect(log).toEqual([`set ${ROTATED}`, `identify cus_ada0123456789abcd as ${ROTATED}`]);
  });

  it('an identify the SDK already holds the id for sets nothing; without one it keeps the SDK’s', async () => {
    page(`ajs_anonymous_id=${ROTATED}`);
    const same = fakeSdk(ROTATED);
    await run(same.sdk, ['identify', 'cus_ada0123456789abcd', {}, false, null, MADE, 'msg-2', ROTATED]);
    expect(same.log).toEqual([`identify cus_ada0123456789abcd as ${ROTATED}`]);

    const none = fakeSdk(BEFORE);
    await run(none.sdk, ['identify', 'cus_ada0123456789abcd', {}, false, null, MADE, 'msg-3']);
    expect(none.log).toEqual([`identify cus_ada0123456789abcd as ${BEFORE}`]);
  });

  it('an identify goes out with the id it was made with when another tab has just written the last user back', async () => {
    // On the SDK's own user and event builder: identifying B with A stored makes it start a new anonymous id. This tab
    // forgot A (its reset) and set the server's id, but the other tab, forgetting A too, first wrote A back to every
    // store: the identify went out with an id the server never signed (held), and Logged In after it stayed
    // anonymous (account-switch.spec.ts, under load).
    const { sdk, log, user, event } = realSdk({ ajs_anonymous_id: JSON.stringify(ROTATED) });
    localStorage.setItem('ajs_user_id', JSON.stringify('cus_a0123456789abcdef'));
    await run(sdk, ['identify', 'cus_b0123456789abcdef', {}, false, null, MADE, 'msg-4', ROTATED]);
    expect(log).toEqual([`identify cus_b0123456789abcdef as ${ROTATED}`]);
    expect(user.anonymousId()).toBe(ROTATED);
    expect(event('track').anonymousId, 'the calls after it').toBe(ROTATED);

    // Without an id from the server (IdentifyOnce), the one the SDK held when the identify was made.
    const held = realSdk({ ajs_anonymous_id: JSON.stringify(BEFORE) });
    localStorage.setItem('ajs_user_id', JSON.stringify('cus_a0123456789abcdef'));
    await run(held.sdk, ['identify', 'cus_b0123456789abcdef', {}, false, null, MADE, 'msg-5']);
    expect(held.log).toEqual([`identify cus_b0123456789abcdef as ${BEFORE}`]);
    expect(held.event('track').anonymousId).toBe(BEFORE);
  });

  it('forgetting a user another tab forgot keeps the anonymous id stored throughout', async () => {
    // The SDK's reset() deleted the anonymous id cookie until it was written again: an order placed from another tab
    // in between went without it, and the shop did not link the browser that placed it (cart-recovery.spec.ts).
    page(`ajs_anonymous_id=${ROTATED}`);
    const { sdk, log } = fakeSdk(ROTATED);
    await run(sdk, ['forget']);
    expect(log).toEqual(['forget user']);
  });

  it('forgetting a user another tab forgot leaves alone another user stored since', async () => {
    // Identifying B resets first, which other tabs take as A forgotten: a tab that got to it once B was stored wrote
    // "no user" over B, for every tab (identity-tabs.spec.ts).
    page(`ajs_anonymous_id=${ROTATED}`);
    vi.stubGlobal('localStorage', { getItem: () => JSON.stringify('cus_b0123456789abcdef') });
    const { sdk, log } = fakeSdk(ROTATED);
    await run(sdk, ['forget', 'cus_a0123456789abcdef']);
    expect(log).toEqual([]);
  });

  it('forgetting a user another tab forgot leaves alone another user stored while it waited for the SDK', async () => {
    page(`ajs_anonymous_id=${ROTATED}`);
    let stored: string | null = null;
    vi.stubGlobal('localStorage', { getItem: () => stored });
    const { sdk, log } = fakeSdk(ROTATED);
    const user = await sdk.user();
    // B is stored by the tab identifying them while this one waits for its SDK's user.
    Object.assign(sdk, { user: async () => ((stored = JSON.stringify('cus_b0123456789abcdef')), user) });
    await run(sdk, ['forget', 'cus_a0123456789abcdef']);
    expect(log).toEqual([]);
  });

  it('forgetting a user still stored, or with none stored, forgets them', async () => {
    page(`ajs_anonymous_id=${ROTATED}`);
    for (const stored of [JSON.stringify('cus_a0123456789abcdef'), 'null', null]) {
      vi.stubGlobal('localStorage', { getItem: () => stored });
      const { sdk, log } = fakeSdk(ROTATED);
      await run(sdk, ['forget', 'cus_a0123456789abcdef']);
      expect(log, String(stored)).toEqual(['forget user']);
    }
  });
});
