import { describe, expect, it } from 'vitest';
import { addedMessage } from '@/lib/shop/domain/added-message';
import { diffLines } from '@/lib/shop/domain/cart-changes';
import { addLine, MAX_CART_LINES, type CartLine } from '@/lib/shop/domain/cart-lines';
import { findCartSku, listProducts } from '@/lib/shop/domain/catalog';

const gel: CartLine = { sku: 'GL-CLN-GEL-150', variantId: 'var_gentle_gel_cleanser_150', quantity: 1 };
const nia: CartLine = { sku: 'GL-SER-NIA-30', variantId: 'var_niacinamide_serum_30', quantity: 1 };
const spf: CartLine = { sku: 'GL-MOI-SPF-50', variantId: 'var_daily_mineral_spf_50', quantity: 1 };

/** What the cart does on "Add": every line in one update, capped at 99. */
const add = (cart: CartLine[], lines: CartLine[]) => {
  const after = lines.reduce(addLine, cart);
  return { after, changes: diffLines(cart, after) };
};

describe('cart changes', () => {
  it('lists what changed per SKU: raised, added, lowered and removed', () => {
    const before = [{ ...gel, quantity: 2 }, nia];
    const after = [{ ...gel, quantity: 1 }, spf];
    expect(diffLines(before, after)).toEqual([
      { sku: gel.sku, variantId: gel.variantId, delta: -1 },
      { sku: spf.sku, variantId: spf.variantId, delta: 1 },
      { sku: nia.sku, variantId: nia.variantId, delta: -1 },
    ]);
    expect(diffLines(before, before)).toEqual([]);
  });

  it('says how many were added when all of them went in', () => {
    const { changes, after } = add([], [{ ...gel, quantity: 2 }]);
    expect(addedMessage([{ ...gel, quantity: 2 }], changes, after, findCartSku)).toBe('Added 2 to your cart.');
    const routine = add([], [gel, nia, spf]);
    expect(addedMessage([gel, nia, spf], routine.changes, routine.after, findCartSku)).toBe(
      'Added all 3 products to your cart.',
    );
  });

  it('tells the truth at the 99 cap instead of claiming the full quantity', () => {
    const full = [{ ...gel, quantity: 99 }];
    const none = add(full, [{ ...gel, quantity: 99 }]);
    expect(none.changes).toEqual([]);
    expect(addedMessage([{ ...gel, quantity: 99 }], none.changes, none.after, findCartSku)).toBe(
      'Not added: your cart already has 99 of these, the most of one item per order.',
    );
    const some = add([{ ...gel, quantity: 95 }], [{ ...gel, quantity: 10 }]);
    expect(addedMessage([{ ...gel, quantity: 10 }], some.changes, some.after, findCartSku)).toBe(
      'Added 4: your cart now has 99 of these, the most of one item per order.',
    );
    const routine = add(full, [gel, nia, spf]);
    expect(addedMessage([gel, nia, spf], routine.changes, routine.after, findCartSku)).toBe(
      'Added 2 of 3 products to your cart. Gentle Gel Cleanser has reached 99, the most of one item per order.',
    );
  });

  it('says a new product did not fit a cart of MAX_CART_LINES different items', () => {
    const others = listProducts()
      .flatMap((p) => p.variants.map((v) => ({ sku: v.sku, variantId: v.id, quantity: 1 })))
      .filter((l) => ![gel.sku, nia.sku, spf.sku].includes(l.sku));
    const full = others.slice(0, MAX_CART_LINES);
    const one = add(full, [gel]);
    expect(one.changes).toEqual([]);
    expect(addedMessage([gel], one.changes, one.after, findCartSku)).toBe(
      'Not added: your cart already holds 20 different items, the most per order. Remove one to make room.',
    );
    const routine = add([...full.slice(1), { ...nia, quantity: 99 }], [gel, nia, spf]);
    expect(addedMessage([gel, nia, spf], routine.changes, routine.after, findCartSku)).toBe(
      'Added 0 of 3 products to your cart. Niacinamide 10% Serum has reached 99, the most of one item per order. ' +
        'Gentle Gel Cleanser and Daily Mineral SPF 30 did not fit: your cart already holds 20 different items, the most per order.',
    );
  });
});
