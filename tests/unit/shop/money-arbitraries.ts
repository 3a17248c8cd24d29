import fc from 'fast-check';
import { listCartSkus } from '@/lib/shop/domain/catalog';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from '@/lib/shop/domain/cart-lines';
import { COUNTRIES, getCountry, type CountryCode } from '@/lib/shop/domain/pricing';
import { regionsFor } from '@/lib/shop/domain/regions';

/**
 * Carts over the real catalogue for the money properties: every SKU (bundles included), 1–99 of each, up to 20
 * different items, every country and (where one is needed) every region, with and without the welcome code. Half of
 * the carts for a country with a free-shipping threshold are built to land on it, just under or just over it.
 */
export const SKUS = listCartSkus();
export type Line = { sku: string; quantity: number };

const linesArb = fc
  .uniqueArray(fc.constantFrom(...SKUS.map((s) => s.sku)), { minLength: 1, maxLength: MAX_CART_LINES })
  .chain((skus) =>
    fc.tuple(
      ...skus.map((sku) => fc.integer({ min: 1, max: MAX_LINE_QUANTITY }).map((quantity) => ({ sku, quantity }))),
    ),
  );

const priceOf = (sku: string) => SKUS.find((s) => s.sku === sku)!.priceCents;
const subtotalOf = (lines: readonly Line[]) => lines.reduce((sum, l) => sum + priceOf(l.sku) * l.quantity, 0);

/** One SKU bought enough times to come within one unit of `threshold`: on it, just under or just over. */
const nearThreshold = (threshold: number) =>
  fc.constantFrom(...SKUS).chain((s) =>
    fc
      .constantFrom(Math.floor(threshold / s.priceCents), Math.ceil(threshold / s.priceCents))
      .filter((q) => q >= 1 && q <= MAX_LINE_QUANTITY)
      .map((quantity): Line[] => [{ sku: s.sku, quantity }]),
  );

export const countryArb = fc.constantFrom(...COUNTRIES.map((c) => c.code as CountryCode));

export type MoneyCase = { lines: Line[]; country: CountryCode; region: string | undefined; withCode: boolean };

export const moneyCaseArb: fc.Arbitrary<MoneyCase> = countryArb.chain((country) => {
  const threshold = getCountry(country).freeShippingOverCents;
  const lines = threshold === undefined ? linesArb : fc.oneof(linesArb, nearThreshold(threshold));
  const set = regionsFor(country);
  const region = set ? fc.constantFrom(...set.regions.map((r) => r.code)) : fc.constant(undefined);
  return fc.record({ lines, country: fc.constant(country), region, withCode: fc.boolean() });
});

export { subtotalOf };
