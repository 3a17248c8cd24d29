import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkoutAttemptKey, endCheckoutAttempt } from '@/lib/shop/client/checkout-attempt';
import { placedOrder } from '@/lib/shop/client/checkout-keys';
import { isUuidV4 } from '@/lib/tracking/ids';

/** A tab's sessionStorage: what survives a reload of the checkout page. */
function tabStorage(initial: Record<string, string> = {}) {
  const store = new Map(Object.entries(initial));
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  });
  return store;
}

afterEach(() => vi.unstubAllGlobals());

// The checkout's idempotency key: one per attempt, and a reload (after a lost answer) is the same attempt.
describe('the checkout attempt key', () => {
  it('is the same after a reload of the tab, so a retry after a lost answer gets the order already placed', () => {
    tabStorage();
    const first = checkoutAttemptKey();
    expect(isUuidV4(first)).toBe(true);
    expect(checkoutAttemptKey()).toBe(first);
  });

  it('is new for the next attempt, and once the attempt is confirmed', () => {
    tabStorage();
    const first = checkoutAttemptKey();
    const next = checkoutAttemptKey({ fresh: true });
    expect(next).not.toBe(first);
    expect(checkoutAttemptKey()).toBe(next);
    endCheckoutAttempt();
    expect(checkoutAttemptKey()).not.toBe(next);
  });

  it('replaces a saved value the server would refuse, and works without storage', () => {
    const store = tabStorage({ 'glowlab-checkout-attempt': 'not-a-uuid' });
    const key = checkoutAttemptKey();
    expect(isUuidV4(key)).toBe(true);
    expect(store.get('glowlab-checkout-attempt')).toBe(key);
    vi.stubGlobal('sessionStorage', {
      getItem: () => {
        throw new Error('blocked');
      },
    });
    expect(isUuidV4(checkoutAttemptKey())).toBe(true);
    expect(() => endCheckoutAttempt()).not.toThrow();
  });
});

// The order an attempt placed, for an empty checkout that a reload reached before the confirmation page did.
describe('the order this tab placed', () => {
  const ada = 'cus_AAAAAAAAAAAAAAAAAAAAAAAA';
  const order = { orderNumber: 'GL-10001', url: '/orders/ord_1?sig=abc', account: ada };

  it('is named for half an hour after it was placed, then not', () => {
    tabStorage();
    endCheckoutAttempt(order);
    // Read after it was kept (a millisecond may pass in between: the order is never named before it was placed).
    const placedAt = Date.now();
    expect(placedOrder(ada, placedAt)).toEqual(order);
    expect(placedOrder(ada, placedAt + 29 * 60_000)).toEqual(order);
    expect(placedOrder(ada, placedAt + 31 * 60_000)).toBeUndefined();
  });

  it('is forgotten when the attempt ends without an order (a logout, another customer signing in)', () => {
    tabStorage();
    endCheckoutAttempt(order);
    endCheckoutAttempt();
    expect(placedOrder(ada)).toBeUndefined();
  });

  it('is named only to the account it was placed for (signed out, or in as another, in another tab since)', () => {
    tabStorage();
    endCheckoutAttempt(order);
    expect(placedOrder('guest')).toBeUndefined();
    expect(placedOrder('cus_BBBBBBBBBBBBBBBBBBBBBBBB')).toBeUndefined();
    expect(placedOrder(ada)).toEqual(order);
    endCheckoutAttempt({ ...order, account: 'guest' });
    expect(placedOrder(ada)).toBeUndefined();
    expect(placedOrder('guest')).toEqual({ ...order, account: 'guest' });
  });

  it('is only ever a link into this shop’s orders, whatever else is saved there', () => {
    const saved = (value: unknown) => ({ 'glowlab-checkout-placed': JSON.stringify(value) });
    for (const value of [
      { orderNumber: 'GL-1', url: 'javascript:alert(1)', at: Date.now(), account: 'guest' },
      { orderNumber: 'GL-1', url: 'https://evil.example/orders/x', at: Date.now(), account: 'guest' },
      { orderNumber: 1, url: '/orders/x', at: Date.now(), account: 'guest' },
      { orderNumber: 'GL-1', url: '/orders/x', account: 'guest' },
      'GL-1',
      null,
    ]) {
      tabStorage(saved(value));
      expect(placedOrder('guest'), JSON.stringify(value)).toBeUndefined();
    }
    tabStorage({ 'glowlab-checkout-placed': '{not json' });
    expect(placedOrder('guest')).toBeUndefined();
  });
});
