import { describe, expect, it } from 'vitest';
import {
  addLine,
  countItems,
  itemName,
  MAX_CART_LINES,
  mergeLines,
  removeLine,
  sanitizeLines,
  setLineQuantity,
  type CartLine,
} from '@/lib/shop/domain/cart-lines';
import { removeBought } from '@/lib/shop/domain/bought-lines';
import { describeNotice, shownNotices } from '@/lib/shop/domain/cart-notices';
import { findCartSku, listCartSkus, listProducts } from '@/lib/shop/domain/catalog';

const small: CartLine = { sku: 'GL-CLN-GEL-150', variantId: 'var_gentle_gel_cleanser_150', quantity: 1 };
const large: CartLine = { sku: 'GL-CLN-GEL-300', variantId: 'var_gentle_gel_cleanser_300', quantity: 2 };
/** One line of every size the catalogue sells: more different items than an order holds. */
const everySize: CartLine[] = listProducts().flatMap((p) =>
  p.variants.map((v) => ({ sku: v.sku, variantId: v.id, quantity: 1 })),
);

describe('cart lines', () => {
  it('takes an order’s lines out of the cart, lowering lines bought in part and keeping lines not bought', () => {
    const cart = [{ ...small, quantity: 3 }, large];
    expect(removeBought(cart, [{ sku: small.sku, quantity: 1 }])).toEqual([{ ...small, quantity: 2 }, large]);
    expect(removeBought(cart, [{ sku: large.sku, quantity: 5 }])).toEqual([{ ...small, quantity: 3 }]);
    expect(removeBought(cart, [{ sku: 'GL-NOT-IN-CART', quantity: 1 }])).toEqual(cart);
    expect(
      removeBought(cart, [
        { sku: small.sku, quantity: 3 },
        { sku: large.sku, quantity: 2 },
      ]),
    ).toEqual([]);
  });

  it('adds new SKUs as separate lines and merges the same SKU', () => {
    let lines = addLine([], small);
    lines = addLine(lines, large);
    lines = addLine(lines, { ...small, quantity: 3 });
    expect(lines).toEqual([{ ...small, quantity: 4 }, large]);
    expect(countItems(lines)).toBe(6);
  });

  it('caps a line at 99 when adding or setting', () => {
    expect(addLine([{ ...small, quantity: 98 }], { ...small, quantity: 5 })[0]!.quantity).toBe(99);
    expect(addLine([], { ...small, quantity: 500 })[0]!.quantity).toBe(99);
    expect(setLineQuantity([small], small.sku, 150)[0]!.quantity).toBe(99);
  });

  it('ignores adding zero or nonsense quantities', () => {
    expect(addLine([small], { ...large, quantity: 0 })).toEqual([small]);
    expect(addLine([small], { ...large, quantity: Number.NaN })).toEqual([small]);
  });

  it('updates a quantity and removes the line at 0', () => {
    expect(setLineQuantity([small, large], large.sku, 5)).toEqual([small, { ...large, quantity: 5 }]);
    expect(setLineQuantity([small, large], large.sku, 0)).toEqual([small]);
    expect(setLineQuantity([small], 'GL-OTHER', 3)).toEqual([small]);
  });

  it('removes a line by SKU without touching the others', () => {
    expect(removeLine([small, large], small.sku)).toEqual([large]);
  });

  it('does not mutate its input', () => {
    const lines = [small];
    addLine(lines, small);
    setLineQuantity(lines, small.sku, 9);
    removeLine(lines, small.sku);
    expect(lines).toEqual([small]);
  });

  it('merges repeated SKUs into one line capped at 99, keeping the first line’s fields', () => {
    expect(mergeLines([small, { ...large, quantity: 1 }, { ...small, variantId: 'other', quantity: 2 }])).toEqual([
      { ...small, quantity: 3 },
      { ...large, quantity: 1 },
    ]);
    expect(mergeLines([1, 2, 3].map(() => ({ ...small, quantity: 99 })))).toEqual([{ ...small, quantity: 99 }]);
  });

  it('cleans stored lines: drops junk and unknown SKUs, fixes variant ids, merges duplicates', () => {
    const stored = [
      small,
      { ...small, variantId: 'tampered', quantity: 2 },
      { sku: 'GL-GONE-1', variantId: 'x', quantity: 1 },
      { sku: 'GL-CLN-GEL-300', variantId: 'var_gentle_gel_cleanser_300', quantity: -4 },
      { sku: 'GL-CLN-GEL-300', variantId: 'var_gentle_gel_cleanser_300', priceCents: 1, quantity: 1 },
      'garbage',
      null,
    ];
    expect(sanitizeLines(stored, findCartSku).lines).toEqual([
      { ...small, quantity: 3 },
      { ...large, quantity: 1 },
    ]);
    expect(sanitizeLines({ not: 'an array' }, findCartSku)).toEqual({ lines: [], notices: [] });
    expect(sanitizeLines(undefined, findCartSku)).toEqual({ lines: [], notices: [] });
  });

  it('says which stored lines were dropped or reduced, and why', () => {
    const { lines, notices } = sanitizeLines(
      [
        { sku: 'GL-GONE-1', variantId: 'x', quantity: 1 },
        { sku: large.sku, variantId: large.variantId, quantity: -4 },
        { sku: large.sku, variantId: large.variantId, quantity: 'lots' },
        'garbage',
        ...[1, 2, 3].map(() => ({ ...small, quantity: 99 })),
      ],
      findCartSku,
    );
    expect(lines).toEqual([{ ...small, quantity: 99 }]);
    expect(notices.map((n) => describeNotice(n, listCartSkus()))).toEqual([
      'An item ("GL-GONE-1") was removed: it is no longer sold.',
      'Gentle Gel Cleanser, 300 ml was removed: its quantity (-4) was not a whole number from 1 to 99.',
      'Gentle Gel Cleanser, 300 ml was removed: its quantity was not a whole number from 1 to 99.',
      'An item was removed: it was saved in a form we could not read.',
      'Gentle Gel Cleanser, 150 ml was reduced from 297 to 99, the most of one item per order.',
    ]);
    expect(sanitizeLines([small, large], findCartSku).notices).toEqual([]);
  });

  it('names the size of a line it drops, so two sizes of one product are told apart', () => {
    const { notices } = sanitizeLines(
      [
        { sku: 'GL-MOI-BAR-100', quantity: '2' },
        { sku: 'GL-MOI-BAR-50', quantity: 2.5 },
      ],
      findCartSku,
    );
    expect(notices.map((n) => describeNotice(n))).toEqual([
      'Barrier Repair Cream, 100 ml was removed: its quantity was not a whole number from 1 to 99.',
      'Barrier Repair Cream, 50 ml was removed: its quantity (2.5) was not a whole number from 1 to 99.',
    ]);
  });

  // Checkout, its quote and the cart's server mirrors take at most MAX_CART_LINES lines: a bigger cart could only
  // be told "An order can hold at most 20 different items" at checkout, and its adds were not mirrored.
  it('takes no new product into a cart of MAX_CART_LINES different items, but still adds to its lines', () => {
    expect(everySize.length).toBeGreaterThan(MAX_CART_LINES);
    const full = everySize.slice(0, MAX_CART_LINES).reduce(addLine, []);
    expect(full).toHaveLength(MAX_CART_LINES);
    expect(addLine(full, everySize[MAX_CART_LINES]!)).toEqual(full);
    expect(addLine(full, { ...everySize[0]!, quantity: 2 })[0]!.quantity).toBe(3);
  });

  it('keeps the first MAX_CART_LINES lines of a bigger stored cart and says which were removed', () => {
    const { lines, notices } = sanitizeLines(everySize, findCartSku);
    expect(lines).toEqual(everySize.slice(0, MAX_CART_LINES));
    const removed = everySize.slice(MAX_CART_LINES);
    expect(notices.map((n) => describeNotice(n))).toEqual(
      removed.map((l) => `${itemName(findCartSku(l.sku)!)} was removed: an order holds at most 20 different items.`),
    );
  });
});

describe('notices read back from storage (saved beside the cart, user-editable)', () => {
  it('shows only the shapes the cart makes, at most 100', () => {
    const real = [
      { kind: 'malformed' },
      { kind: 'unknown', sku: 'GL-GONE-1' },
      { kind: 'quantity', sku: 'GL-SER-NIA-30', name: 'Niacinamide 10% Serum, 30 ml', quantity: null },
      { kind: 'capped', sku: 'GL-MOI-BAR-50', name: 'Barrier Repair Cream, 50 ml', requested: 297 },
      { kind: 'too_many', sku: 'GL-MOI-BAR-50', name: 'Barrier Repair Cream, 50 ml' },
    ];
    const forged = [
      null,
      'text',
      { kind: 'unknown' },
      { kind: 'unknown', sku: 42 },
      { kind: 'quantity', sku: 'GL-X', name: 'x'.repeat(201), quantity: 1 },
      { kind: 'capped', sku: 'GL-X', name: 'X', requested: '99' },
      { kind: 'other', sku: 'GL-X' },
    ];
    expect(shownNotices([...forged, ...real])).toEqual(real);
    expect(shownNotices(Array.from({ length: 500 }, () => ({ kind: 'malformed' })))).toHaveLength(100);
  });
});
