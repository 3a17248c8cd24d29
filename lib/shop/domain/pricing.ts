import { CURRENCY, findVariantBySku } from './catalog';
import { MAX_LINE_QUANTITY } from './cart-lines';

export { MAX_LINE_QUANTITY };

/**
 * Pure pricing shared by the cart display (client) and checkout (server). All money is integer cents;
 * the server calls the same functions with SKUs and quantities only, so the client can never set a price.
 */
export type Country = {
  code: string;
  name: string;
  shippingCents: number;
  taxRate: number;
  freeShippingOverCents?: number;
};

export const COUNTRIES = [
  { code: 'US', name: 'United States', shippingCents: 595, taxRate: 0.0725, freeShippingOverCents: 5000 },
  { code: 'CA', name: 'Canada', shippingCents: 995, taxRate: 0.13, freeShippingOverCents: 7500 },
  { code: 'GB', name: 'United Kingdom', shippingCents: 795, taxRate: 0.2, freeShippingOverCents: 6000 },
  { code: 'IE', name: 'Ireland', shippingCents: 895, taxRate: 0.23, freeShippingOverCents: 6000 },
  { code: 'DE', name: 'Germany', shippingCents: 895, taxRate: 0.19, freeShippingOverCents: 6000 },
  { code: 'FR', name: 'France', shippingCents: 895, taxRate: 0.2, freeShippingOverCents: 6000 },
  { code: 'NL', name: 'Netherlands', shippingCents: 895, taxRate: 0.21, freeShippingOverCents: 6000 },
  { code: 'SE', name: 'Sweden', shippingCents: 995, taxRate: 0.25 },
  { code: 'AU', name: 'Australia', shippingCents: 1495, taxRate: 0.1, freeShippingOverCents: 10000 },
  { code: 'JP', name: 'Japan', shippingCents: 1295, taxRate: 0.1 },
] as const satisfies readonly Country[];

export type CountryCode = (typeof COUNTRIES)[number]['code'];

const countries = new Map<string, Country>(COUNTRIES.map((c) => [c.code, c]));

export function isCountryCode(x: string): x is CountryCode {
  return countries.has(x);
}

export function getCountry(code: CountryCode): Country {
  return countries.get(code)!;
}

export class UnknownSkuError extends Error {
  constructor(readonly sku: string) {
    super(`Unknown product SKU "${sku}". It may have been discontinued; remove it from the cart and try again.`);
    this.name = 'UnknownSkuError';
  }
}

export class InvalidQuantityError extends Error {
  constructor(
    readonly sku: string,
    readonly quantity: number,
  ) {
    super(`Quantity for "${sku}" must be a whole number from 1 to ${MAX_LINE_QUANTITY}, got ${quantity}.`);
    this.name = 'InvalidQuantityError';
  }
}

export type CartLineInput = { sku: string; quantity: number };

export type PricedLine = {
  sku: string;
  variantId: string;
  productId: string;
  name: string;
  variantName: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
  image: string;
  handle: string;
};

/** Prices each line from the catalogue. Throws UnknownSkuError / InvalidQuantityError on bad input. */
export function priceLines(lines: readonly CartLineInput[]): { lines: PricedLine[]; subtotalCents: number } {
  const priced = lines.map(({ sku, quantity }): PricedLine => {
    const found = findVariantBySku(sku);
    if (!found) throw new UnknownSkuError(sku);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
      throw new InvalidQuantityError(sku, quantity);
    }
    const { product, variant } = found;
    return {
      sku,
      variantId: variant.id,
      productId: product.id,
      name: product.name,
      variantName: variant.name,
      quantity,
      unitPriceCents: variant.priceCents,
      lineTotalCents: variant.priceCents * quantity,
      image: product.image,
      handle: product.handle,
    };
  });
  return { lines: priced, subtotalCents: priced.reduce((sum, l) => sum + l.lineTotalCents, 0) };
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

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: CURRENCY });

/** "$12.50" — the one money formatter, so server and client render identical strings. */
export function formatMoney(cents: number): string {
  return money.format(cents / 100);
}
