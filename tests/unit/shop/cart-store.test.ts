import { beforeAll, describe, expect, it, vi } from 'vitest';
import { listCartSkus } from '@/lib/shop/domain/catalog';

// A minimal localStorage so the real persisted store runs in Node.
const store = new Map<string, string>();
beforeAll(() => {
  globalThis.localStorage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
    clear: () => store.clear(),
    key: () => null,
    length: 0,
  } as Storage;
});

const load = () => import('@/lib/shop/client/cart-store');

/** The store as a new page load has it: its module evaluated again, the saved cart read. */
async function freshLoad() {
  vi.resetModules();
  const fresh = await load();
  fresh.setCatalogSkus(listCartSkus());
  await fresh.useCart.persist.rehydrate();
  return fresh;
}

describe('cart store', () => {
  it('persists only sku, variant id and quantity (and any notice) under glowlab-cart', async () => {
    const { useCart, CART_STORAGE_KEY } = await load();
    useCart.getState().add({ sku: 'GL-CLN-GEL-150', variantId: 'var_gentle_gel_cleanser_150', quantity: 2 });
    useCart.getState().add({ sku: 'GL-CLN-GEL-150', variantId: 'var_gentle_gel_cleanser_150', quantity: 1 });
    useCart.getState().add({ sku: 'GL-SER-NIA-30', variantId: 'var_niacinamide_serum_30', quantity: 1 });
    const saved = JSON.parse(store.get(CART_STORAGE_KEY)!);
    expect(saved.state).toEqual({
      lines: [
        { sku: 'GL-CLN-GEL-150', variantId: 'var_gentle_gel_cleanser_150', quantity: 3 },
        { sku: 'GL-SER-NIA-30', variantId: 'var_niacinamide_serum_30', quantity: 1 },
      ],
      notices: [],
    });
    useCart.getState().setQuantity('GL-CLN-GEL-150', 0);
    useCart.getState().remove('GL-SER-NIA-30');
    expect(useCart.getState().lines).toEqual([]);
  });

  it('rehydrates from storage, discarding tampered and unknown lines', async () => {
    const { useCart, CART_STORAGE_KEY, setCatalogSkus } = await load();
    setCatalogSkus(listCartSkus());
    store.set(
      CART_STORAGE_KEY,
      JSON.stringify({
        version: 1,
        state: {
          lines: [
            { sku: 'GL-MOI-BAR-50', variantId: 'var_barrier_repair_cream_50', quantity: 1, priceCents: 1 },
            { sku: 'GL-NOT-REAL', variantId: 'x', quantity: 1 },
            { sku: 'GL-MOI-GEL-50', variantId: 'var_oil_free_gel_moisturiser_50', quantity: 1000 },
          ],
        },
      }),
    );
    await useCart.persist.rehydrate();
    expect(useCart.persist.hasHydrated()).toBe(true);
    const kept = [{ sku: 'GL-MOI-BAR-50', variantId: 'var_barrier_repair_cream_50', quantity: 1 }];
    expect(useCart.getState().lines).toEqual(kept);
    // The shopper is told what went, and the cleaned cart is saved so the notice does not come back.
    expect(useCart.getState().notices.map((n) => n.kind)).toEqual(['unknown', 'quantity']);
    expect(JSON.parse(store.get(CART_STORAGE_KEY)!).state.lines).toEqual(kept);
    // A full page load (a fresh store) before it was dismissed: the notice is still there, read back with the cart.
    const reloaded = await freshLoad();
    expect(reloaded.useCart.getState().notices.map((n) => n.kind)).toEqual(['unknown', 'quantity']);
    reloaded.useCart.getState().dismissNotices();
    expect(reloaded.useCart.getState().notices).toEqual([]);
    expect((await freshLoad()).useCart.getState().notices).toEqual([]);
    useCart.getState().dismissNotices();
    await useCart.persist.rehydrate();
    expect(useCart.getState().notices).toEqual([]);
    useCart.getState().clear();
    expect(JSON.parse(store.get(CART_STORAGE_KEY)!).state.lines).toEqual([]);
  });

  it('an emptied cart (an order, a logout) takes an undismissed notice with it', async () => {
    const { CART_STORAGE_KEY } = await load();
    store.set(
      CART_STORAGE_KEY,
      JSON.stringify({ version: 1, state: { lines: [{ sku: 'GL-NOT-REAL', quantity: 1 }] } }),
    );
    const { useCart } = await freshLoad();
    expect(useCart.getState().notices.map((n) => n.kind)).toEqual(['unknown']);
    useCart.getState().clear();
    expect((await freshLoad()).useCart.getState().notices).toEqual([]);
  });

  it('merges repeated SKUs when a whole cart is put in (a restored cart)', async () => {
    const { useCart } = await load();
    const line = { sku: 'GL-CLN-GEL-150', variantId: 'var_gentle_gel_cleanser_150', quantity: 60 };
    useCart.getState().replace([line, line]);
    expect(useCart.getState().lines).toEqual([{ ...line, quantity: 99 }]);
    useCart.getState().clear();
  });

  it('takes only what an order bought out of the cart, keeping what another tab added since', async () => {
    const { useCart, CART_STORAGE_KEY, setCatalogSkus } = await load();
    setCatalogSkus(listCartSkus());
    const gel = { sku: 'GL-CLN-GEL-150', variantId: 'var_gentle_gel_cleanser_150', quantity: 2 };
    const serum = { sku: 'GL-SER-NIA-30', variantId: 'var_niacinamide_serum_30', quantity: 1 };
    const cream = { sku: 'GL-MOI-BAR-50', variantId: 'var_barrier_repair_cream_50', quantity: 1 };
    useCart.getState().replace([gel, serum]);
    // Another tab saved one more gel and a cream; this page has not had its storage event yet.
    const other = [{ ...gel, quantity: 3 }, serum, cream];
    store.set(CART_STORAGE_KEY, JSON.stringify({ state: { lines: other }, version: 1 }));
    const { removeBoughtFromCart } = await import('@/lib/shop/client/checkout-attempt');
    await removeBoughtFromCart([
      { sku: gel.sku, quantity: 2 },
      { sku: serum.sku, quantity: 1 },
    ]);
    const left = [{ ...gel, quantity: 1 }, cream];
    expect(useCart.getState().lines).toEqual(left);
    expect(JSON.parse(store.get(CART_STORAGE_KEY)!).state.lines).toEqual(left);
    useCart.getState().clear();
  });

  it('reads the saved cart before a change that comes before the page read it (a press replayed in hydration)', async () => {
    vi.resetModules(); // a page that has not read storage yet
    const { CART_STORAGE_KEY, setCatalogSkus, useCart } = await load();
    const { changeCart } = await import('@/lib/shop/client/cart-change');
    store.set(
      CART_STORAGE_KEY,
      JSON.stringify({
        state: { lines: [{ sku: 'GL-SER-NIA-30', variantId: 'var_niacinamide_serum_30', quantity: 98 }] },
        version: 1,
      }),
    );
    setCatalogSkus(listCartSkus()); // as the root layout's first render does
    const { changes } = changeCart((c) =>
      c.add({ sku: 'GL-SER-NIA-30', variantId: 'var_niacinamide_serum_30', quantity: 5 }),
    );
    expect(changes).toEqual([expect.objectContaining({ sku: 'GL-SER-NIA-30', delta: 1 })]);
    expect(JSON.parse(store.get(CART_STORAGE_KEY)!).state.lines).toEqual([
      { sku: 'GL-SER-NIA-30', variantId: 'var_niacinamide_serum_30', quantity: 99 },
    ]);
    expect(useCart.persist.hasHydrated()).toBe(true);
  });
});
