import { findCartSku } from './catalog';
import { getCountry, type Country, type CountryCode } from './countries';
import { priceLinesWith, type CartLineInput, type PricedLine } from './line-pricing';
import { CURRENCY } from './money';
import { WELCOME_BASIS_POINTS, WELCOME_CODE } from './welcome-code';

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

/**
 * `basisPoints` hundredths of a percent of an amount in whole cents, rounded half up, in integers (0.5 never becomes
 * 0.4999…): the one rounding rule for tax and the discount.
 */
const shareOf = (cents: number, basisPoints: number): number => Math.floor((cents * basisPoints + 5_000) / 10_000);

/** amount × rate in whole cents, rounded half up; the rate is read in basis points. */
export const taxOn = (amountCents: number, rate: number): number => shareOf(amountCents, Math.round(rate * 10_000));

/** The welcome code's 10% of the merchandise subtotal in whole cents, rounded half up. */
export const welcomeDiscountOn = (subtotalCents: number): number => shareOf(subtotalCents, WELCOME_BASIS_POINTS);

/** Flat shipping per country, free at or above the country's threshold; nothing to ship costs nothing. */
export function shippingFor(subtotalCents: number, country: Country): number {
  if (subtotalCents <= 0) return 0;
  if (country.freeShippingOverCents !== undefined && subtotalCents >= country.freeShippingOverCents) return 0;
  return country.shippingCents;
}

/**
 * The server's price of an order. `discountCode` is a code the caller has already accepted for this customer
 * (lib/shop/server/discounts.ts): only the welcome code exists. One rule for quote and order: the discount comes off
 * the merchandise subtotal; tax is on the goods after it (the price actually paid), while the free-shipping
 * threshold stays on the subtotal before it, so entering a code never makes an order cost more (a $54 US cart
 * would otherwise drop under $50 and pay $5.95 shipping for a $5.40 discount). Shipping is never discounted nor
 * taxed. No code: exactly the prices without discounts.
 */
export function quoteOrder(
  lines: readonly CartLineInput[],
  country: CountryCode,
  discountCode?: typeof WELCOME_CODE,
): {
  lines: PricedLine[];
  subtotalCents: number;
  discountCents: number;
  discountCode: string | null;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  currency: 'USD';
} {
  const c = getCountry(country);
  const { lines: priced, subtotalCents } = priceLines(lines);
  const discountCents = discountCode === WELCOME_CODE ? welcomeDiscountOn(subtotalCents) : 0;
  const goodsCents = subtotalCents - discountCents;
  const shippingCents = shippingFor(subtotalCents, c);
  const taxCents = taxOn(goodsCents, c.taxRate);
  return {
    lines: priced,
    subtotalCents,
    discountCents,
    discountCode: discountCents > 0 ? WELCOME_CODE : null,
    shippingCents,
    taxCents,
    totalCents: goodsCents + shippingCents + taxCents,
    currency: CURRENCY,
  };
}

export type Quote = ReturnType<typeof quoteOrder>;
