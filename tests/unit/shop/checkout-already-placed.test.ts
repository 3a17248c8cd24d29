import { describe, expect, it } from 'vitest';
import { removeBought } from '@/lib/shop/domain/bought-lines';
import { alreadyPlacedMessage } from '@/lib/shop/domain/quote-check';
import { boughtLines, type Order } from '@/lib/shop/server/orders';

// A checkout attempt whose order was placed but whose answer was lost, sent again with another cart: the answer
// names that order and what it bought, which the form takes out of the cart so it is not charged twice.
type Line = { sku: string; quantity: number };
const balm = (quantity: number): Line => ({ sku: 'GL-CLN-BALM-100', quantity });
const duo = (quantity: number): Line => ({ sku: 'GL-BUN-GLOW', quantity });
const placed = 'This checkout already placed order GL-10015 for $42.45 (your earlier Place order went through).';

describe('an order already placed by this checkout attempt', () => {
  it('hands back what it bought, by SKU, and the cart keeps only the rest: quantities count', () => {
    const line = { variant_id: 'v', product_id: 'p', name: 'Balm', variant_name: '100 ml', unit_price_cents: 2600 };
    const order = { lines: [{ ...line, sku: balm(1).sku, quantity: 1, line_total_cents: 2600 }] } as Order;
    const bought = boughtLines(order);
    expect(bought).toEqual([balm(1)]);
    expect(removeBought([balm(3), duo(1)], bought)).toEqual([balm(2), duo(1)]);
    expect(removeBought([balm(1), duo(1)], bought)).toEqual([duo(1)]);
  });

  it('says its items were taken out of the cart, and that Place order orders what is left', () => {
    expect(alreadyPlacedMessage('GL-10015', 4245, [balm(1), duo(1)], [balm(1)])).toBe(
      `${placed} Its items were taken out of your cart, so Place order now orders only what is left, at the total shown.`,
    );
    // 1 of the 3 balms was bought: 2 are left to order.
    expect(alreadyPlacedMessage('GL-10015', 4245, [balm(3)], [balm(1)])).toContain('only what is left');
  });

  it('says the cart is empty when the order bought all of it (the same cart, another country)', () => {
    expect(alreadyPlacedMessage('GL-10015', 4245, [balm(1)], [balm(1)])).toBe(
      `${placed} Its items were taken out of your cart, which is now empty.`,
    );
  });

  it('takes nothing out when none of its items are in the cart any more', () => {
    expect(alreadyPlacedMessage('GL-10015', 4245, [duo(1)], [balm(1)])).toBe(
      `${placed} None of its items are in your cart now: Place order orders your cart as it is, as a new order.`,
    );
  });
});
