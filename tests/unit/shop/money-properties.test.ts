import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCountry, quoteOrder } from '@/lib/shop/domain/pricing';
import { WELCOME_CODE } from '@/lib/shop/domain/welcome-code';
import { fuzzSettings } from '../../fuzz/support/settings';
import { moneyCaseArb, subtotalOf } from './money-arbitraries';

const { runs, seed } = fuzzSettings();

// The checkout's money rule over the whole catalogue, checked against a second implementation written from the
// README's words ("10 % of the merchandise subtotal, in whole cents rounded half up; tax on the goods after the
// discount; free shipping at or above the threshold on the subtotal before it"), in exact decimal arithmetic.

/** A rate written as a decimal ("0.0725") as an exact fraction. */
function exactRate(rate: number): [bigint, bigint] {
  const [whole, fraction = ''] = String(rate).split('.');
  return [BigInt(whole! + fraction), 10n ** BigInt(fraction.length)];
}
/** amount × num / den rounded half up, for amount ≥ 0. */
const halfUp = (amount: number, [num, den]: [bigint, bigint]) => Number((2n * BigInt(amount) * num + den) / (2n * den));

describe('the price of any cart from the catalogue', () => {
  it('is its lines at catalogue prices, minus the code, plus shipping and half-up tax: to the cent', () => {
    fc.assert(
      fc.property(moneyCaseArb, ({ lines, country, withCode }) => {
        const c = getCountry(country);
        const q = quoteOrder(lines, country, withCode ? WELCOME_CODE : undefined);
        const subtotal = subtotalOf(lines);
        const discount = withCode ? halfUp(subtotal, [1n, 10n]) : 0;
        const free = c.freeShippingOverCents !== undefined && subtotal >= c.freeShippingOverCents;
        const shipping = free ? 0 : c.shippingCents;
        const tax = halfUp(subtotal - discount, exactRate(c.taxRate));

        expect(q.lines.map((l) => [l.sku, l.quantity])).toEqual(lines.map((l) => [l.sku, l.quantity]));
        for (const l of q.lines) expect(l.lineTotalCents).toBe(l.unitPriceCents * l.quantity);
        expect(q.lines.reduce((sum, l) => sum + l.lineTotalCents, 0)).toBe(q.subtotalCents);
        expect(q).toMatchObject({ subtotalCents: subtotal, discountCents: discount, shippingCents: shipping });
        expect(q.taxCents).toBe(tax);
        expect(q.totalCents).toBe(subtotal - discount + shipping + tax);
        expect(q.discountCode).toBe(withCode ? WELCOME_CODE : null);
        // A code never makes an order cost more.
        if (withCode) expect(q.totalCents).toBeLessThanOrEqual(quoteOrder(lines, country).totalCents);
      }),
      { seed, numRuns: runs * 40 },
    );
  });
});
