'use client';

import { useEffect, useSyncExternalStore } from 'react';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
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

/**
 * The cart: SKUs, variant ids and quantities persisted to localStorage — never prices.
 * Hydration is manual (see CartHydrator) so the first client render matches the server's empty cart.
 */
export const useCart = create<CartState>()(
  persist(
    (set) => ({
      lines: [],
      notices: [],
      add: (...lines) => set((s) => ({ lines: lines.reduce(addLine, s.lines) })),
      replace: (lines) => set({ lines: mergeLines(lines) }),
      setQuantity: (sku, quantity) => set((s) => ({ lines: setLineQuantity(s.lines, sku, quantity) })),
      remove: (sku) => set((s) => ({ lines: removeLine(s.lines, sku) })),
      clear: () => set({ lines: [] }),
      dismissNotices: () => set({ notices: [] }),
    }),
    {
      name: CART_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      skipHydration: true,
      partialize: (s) => ({ lines: s.lines }),
      merge: (persisted, current) => {
        const { lines, notices } = sanitizeLines((persisted as { lines?: unknown } | undefined)?.lines, findKnownSku);
        // A later read (another tab saved) keeps an undismissed notice rather than silently clearing it.
        return { ...current, lines, notices: notices.length > 0 ? notices : current.notices };
      },
      // Save the cleaned cart at once, so a dismissed notice does not come back with the next page load.
      onRehydrateStorage: () => (state) => {
        if (state && state.notices.length > 0) useCart.setState({ lines: state.lines });
      },
    },
  ),
);

function subscribeHydration(onChange: () => void) {
  const offStart = useCart.persist.onHydrate(onChange);
  const offEnd = useCart.persist.onFinishHydration(onChange);
  return () => {
    offStart();
    offEnd();
  };
}

/** False on the server and until the stored cart has been read, so UIs can show a loading state. */
export function useCartHydrated(): boolean {
  return useSyncExternalStore(
    subscribeHydration,
    () => useCart.persist.hasHydrated(),
    () => false,
  );
}

/**
 * Reads the stored cart after mount, checked against `skus` (every SKU the catalogue sells), and keeps tabs in
 * sync. Rendered once, in the root layout.
 */
export function useCartPersistence(skus: readonly CartSku[]) {
  useEffect(() => {
    setCatalogSkus(skus);
    void useCart.persist.rehydrate();
    const onStorage = (e: StorageEvent) => {
      if (e.key === CART_STORAGE_KEY) void useCart.persist.rehydrate();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [skus]);
}
