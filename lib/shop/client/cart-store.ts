'use client';

import { useEffect, useSyncExternalStore } from 'react';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { addLine, removeLine, sanitizeLines, setLineQuantity, type CartLine } from '@/lib/shop/domain/cart-lines';

export type { CartLine } from '@/lib/shop/domain/cart-lines';
export { countItems } from '@/lib/shop/domain/cart-lines';

export const CART_STORAGE_KEY = 'glowlab-cart';

export type CartState = {
  lines: CartLine[];
  add(line: CartLine): void;
  setQuantity(sku: string, quantity: number): void;
  remove(sku: string): void;
  clear(): void;
};

/**
 * The cart: SKUs, variant ids and quantities persisted to localStorage — never prices.
 * Hydration is manual (see CartHydrator) so the first client render matches the server's empty cart.
 */
export const useCart = create<CartState>()(
  persist(
    (set) => ({
      lines: [],
      add: (line) => set((s) => ({ lines: addLine(s.lines, line) })),
      setQuantity: (sku, quantity) => set((s) => ({ lines: setLineQuantity(s.lines, sku, quantity) })),
      remove: (sku) => set((s) => ({ lines: removeLine(s.lines, sku) })),
      clear: () => set({ lines: [] }),
    }),
    {
      name: CART_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      skipHydration: true,
      partialize: (s) => ({ lines: s.lines }),
      merge: (persisted, current) => ({
        ...current,
        lines: sanitizeLines((persisted as { lines?: unknown } | undefined)?.lines),
      }),
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

/** Reads the stored cart after mount and keeps tabs in sync. Rendered once, in the root layout. */
export function useCartPersistence() {
  useEffect(() => {
    void useCart.persist.rehydrate();
    const onStorage = (e: StorageEvent) => {
      if (e.key === CART_STORAGE_KEY) void useCart.persist.rehydrate();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);
}
