'use client';

import { useEffect, useSyncExternalStore } from 'react';
import {
  addLine,
  mergeLines,
  removeLine,
  sanitizeLines,
  setLineQuantity,
  type CartLine,
  type CartNotice,
  type CartSku,
  type FindCartSku,
} from '@/lib/shop/domain/cart-lines';

export type { CartLine, CartNotice } from '@/lib/shop/domain/cart-lines';
export { countItems } from '@/lib/shop/domain/cart-lines';

export const CART_STORAGE_KEY = 'glowlab-cart';

// The SKUs the catalogue sells, as the server layout handed them to useCartPersistence: saved lines are checked
// against them when read back. Not the catalogue module itself, which would put it in every page's first load.
let knownSkus = new Map<string, CartSku>();

/** A SKU the catalogue sells, as the server layout described it (undefined before the cart is first read). */
export const findKnownSku: FindCartSku = (sku) => knownSkus.get(sku);

/** The SKUs the catalogue sells, as the server layout described them (none before the cart is first read). */
export const knownCartSkus = () => knownSkus.values();

/** The SKUs saved lines are checked against from the next read of storage on (useCartPersistence sets them). */
export function setCatalogSkus(skus: readonly CartSku[]) {
  knownSkus = new Map(skus.map((s) => [s.sku, s]));
}

export type CartState = {
  lines: CartLine[];
  /** Stored lines that were dropped or reduced when the cart was read back; shown until dismissed. */
  notices: CartNotice[];
  /** Adds one line or several in one update (one save, one render): "Add the whole routine". */
  add(...lines: CartLine[]): void;
  /** Replaces the whole cart (a restored cart), one line per SKU. */
  replace(lines: CartLine[]): void;
  setQuantity(sku: string, quantity: number): void;
  remove(sku: string): void;
  clear(): void;
  dismissNotices(): void;
};

// The state and its listeners. A store this small needs no library: React's useSyncExternalStore does the
// subscribing (zustand and its persist middleware cost ~1.3 KB gzip in every storefront page's first load).
type Data = Pick<CartState, 'lines' | 'notices'>;
let data: Data = { lines: [], notices: [] };
let hydrated = false;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// The saved form, { state: { lines, notices }, version: 1 }, is the one the zustand persist middleware wrote before
// (lines only): carts saved by earlier builds read back unchanged. Prices are never saved. The notices are saved
// with the cleaned cart, so one shown on no page of this load (the home page has no notice area) is still there on
// the cart page after a full page load, until dismissed.
const STORAGE_VERSION = 1;

function save() {
  try {
    localStorage.setItem(CART_STORAGE_KEY, JSON.stringify({ state: data, version: STORAGE_VERSION }));
  } catch {
    // storage blocked or full: the cart lives for this page only
  }
}

function readSaved(): { lines?: unknown; notices?: unknown } | undefined {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(CART_STORAGE_KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return undefined;
    const { state, version } = saved as { state?: { lines?: unknown; notices?: unknown }; version?: unknown };
    return version === STORAGE_VERSION ? state : undefined; // a state that is no object reads as no lines
  } catch {
    return undefined; // unreadable or blocked: an empty cart
  }
}

function set(change: Partial<Data>) {
  data = { ...data, ...change };
  save();
  notify();
}

/**
 * Reads the saved cart now if the page has not yet (useCartPersistence reads it in an effect, after hydration): a
 * press React replays during hydration can come first, and changing the empty cart would save it over the
 * shopper's. Only once the catalogue's SKUs are known (set while the root layout renders), which the check needs.
 */
export function readSavedCartFirst(): void {
  if (!hydrated && knownSkus.size) void rehydrate();
}

const current = () => (readSavedCartFirst(), data.lines);

const actions: Omit<CartState, 'lines' | 'notices'> = {
  add: (...lines) => set({ lines: lines.reduce(addLine, current()) }),
  replace: (lines) => set({ lines: mergeLines(lines) }),
  setQuantity: (sku, quantity) => set({ lines: setLineQuantity(current(), sku, quantity) }),
  remove: (sku) => set({ lines: removeLine(current(), sku) }),
  // An emptied cart (an order, a logout) takes its notices along: the next shopper is not told about it.
  clear: () => set({ lines: [], notices: [] }),
  dismissNotices: () => set({ notices: [] }),
};

/** Reads the saved cart, checked against the known SKUs, with the notices saved beside it (checked where they are
 *  shown: cart-notices.ts). A later read (another tab saved) keeps an undismissed notice rather than silently
 *  clearing it; a cleaned cart is saved at once, so a dismissed notice does not come back with the next page load. */
function rehydrate(): Promise<void> {
  const saved = readSaved();
  const { lines, notices } = sanitizeLines(saved?.lines, findKnownSku);
  const savedNotices = Array.isArray(saved?.notices) ? (saved.notices as CartNotice[]) : [];
  data = { lines, notices: notices.length > 0 ? notices : savedNotices.length > 0 ? savedNotices : data.notices };
  if (notices.length > 0) save();
  hydrated = true;
  notify();
  return Promise.resolve();
}

/**
 * The cart: SKUs, variant ids and quantities persisted to localStorage — never prices. `useCart(selector)` in
 * components, `useCart.getState()` in handlers. Reading storage is manual (useCartPersistence, after mount) so the
 * first client render matches the server's empty cart.
 */
export const useCart = Object.assign(
  <T>(selector: (state: CartState) => T): T =>
    useSyncExternalStore(
      subscribe,
      () => selector(getState()),
      () => selector(serverState),
    ),
  { getState, persist: { rehydrate, hasHydrated: () => hydrated } },
);

// One object per change of the data, so selectors that return the state's own fields stay stable between renders.
let snapshot: CartState = { ...data, ...actions };
function getState(): CartState {
  if (snapshot.lines !== data.lines || snapshot.notices !== data.notices) snapshot = { ...data, ...actions };
  return snapshot;
}
const serverState: CartState = { lines: [], notices: [], ...actions };

/** False on the server and until the stored cart has been read, so UIs can show a loading state. */
export function useCartHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => hydrated,
    () => false,
  );
}

/**
 * Reads the stored cart after mount, checked against `skus` (every SKU the catalogue sells), and keeps tabs in
 * sync. Rendered once, in the root layout.
 */
export function useCartPersistence(skus: readonly CartSku[]) {
  // Known from the first render (idempotent), so a change made before the effect below can read the saved cart.
  if (knownSkus.size !== skus.length) setCatalogSkus(skus);
  useEffect(() => {
    setCatalogSkus(skus);
    // In a task of its own: the store's change re-renders its readers synchronously, which in this effect pulled
    // every other effect of the hydration into one long task with it. A change made before then reads it first.
    const timer = setTimeout(readSavedCartFirst);
    const onStorage = (e: StorageEvent) => {
      if (e.key === CART_STORAGE_KEY) void rehydrate();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('storage', onStorage);
    };
  }, [skus]);
}
