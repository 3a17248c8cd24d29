import { MAX_LINE_QUANTITY, type FindCartSku } from './cart-lines';

// Pricing of cart lines, apart from ./pricing.ts (which binds it to the catalogue) so that the browser's cart can
// price its lines without loading the catalogue. All money is integer cents.

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

/**
 * Prices each line from the SKUs `findSku` knows: the catalogue's on the server (pricing.ts priceLines), the ones
 * the server layout handed to the browser's cart there. Throws UnknownSkuError / InvalidQuantityError on bad input.
 */
export function priceLinesWith(
  lines: readonly CartLineInput[],
  findSku: FindCartSku,
): { lines: PricedLine[]; subtotalCents: number } {
  const priced = lines.map(({ sku, quantity }): PricedLine => {
    const found = findSku(sku);
    if (!found) throw new UnknownSkuError(sku);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
      throw new InvalidQuantityError(sku, quantity);
    }
    return {
      sku,
      variantId: found.variantId,
      productId: found.productId,
      name: found.name,
      variantName: found.variantName,
      quantity,
      unitPriceCents: found.priceCents,
      lineTotalCents: found.priceCents * quantity,
      image: found.image,
      handle: found.handle,
    };
  });
  return { lines: priced, subtotalCents: priced.reduce((sum, l) => sum + l.lineTotalCents, 0) };
}
