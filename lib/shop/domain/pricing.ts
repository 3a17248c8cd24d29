import { findCartSku } from './catalog';
import { getCountry, type Country, type CountryCode } from './countries';
import { priceLinesWith, type CartLineInput, type PricedLine } from './line-pricing';
import { CURRENCY } from './money';

export { MAX_LINE_QUANTITY } from './cart-lines';
export { COUNTRIES, getCountry, isCountryCode, type Country, type CountryCode } from './countries';
export {
  InvalidQuantityError,
  priceLinesWith,
  UnknownSkuError,
  type CartLineInput,
  type PricedLine,
} from './line-pricing';
export { formatMoney } from './money';

/**
 * Pure pricing bound to the catalogue: what checkout (server) charges. All money is integer cents; the server calls
 * these with SKUs and quantities only, so the client can never set a price. The parts the browser uses too (line
 * pricing, countries, the money formatter) live in catalogue-free modules, re-exported above.
 */

/** Prices each line from the catalogue. Throws UnknownSkuError / InvalidQuantityError on bad input. */
export function priceLines(lines: readonly CartLineInput[]): { lines: PricedLine[]; subtotalCents: number } {
  return priceLinesWith(lines, findCartSku);
}

/** Round-half-up of amount × rate in whole cents, done in integers so 0.5 never becomes 0.4999…. */
export function taxOn(amountCents: number, rate: number): number {
  const basisPoints = Math.round(rate * 10_000);
  return Math.floor((amountCents * basisPoints + 5_000) / 10_000);
}

/** Flat shipping per country, free at or above the country's threshold; nothing to ship costs nothing. */
export function shippingFor(subtotalCents: number, country: Country): number {
  if (subtotalCents <= 0) return 0;
  if (country.freeShippingOverCents !== undefined && subtotalCents >= country.freeShippingOverCents) return 0;
  return country.shippingCents;
}

export function quoteOrder(
  lines: readonly CartLineInput[],
  country: CountryCode,
): {
  lines: PricedLine[];
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  currency: 'USD';
} {
  const c = getCountry(country);
  const { lines: priced, subtotalCents } = priceLines(lines);
  const shippingCents = shippingFor(subtotalCents, c);
  const taxCents = taxOn(subtotalCents, c.taxRate);
  return {
    lines: priced,
    subtotalCents,
    shippingCents,
    taxCents,
    totalCents: subtotalCents + shippingCents + taxCents,
    currency: CURRENCY,
  };
}

export type Quote = ReturnType<typeof quoteOrder>;
