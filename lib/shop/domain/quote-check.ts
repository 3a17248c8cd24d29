import { removeBought } from './bought-lines';
import type { ShownQuote } from './checkout-schema';
import { formatMoney, getCountry, type CartLineInput, type CountryCode, type Quote } from './pricing';

/** Why the total the shopper saw is not the total the server would charge. */
export type QuoteChange = 'country' | 'cart' | 'prices';

/** What quoteChange compares: a fresh Quote, or an order as stored (see lib/shop/server/orders.ts). */
export type PricedTotal = Pick<Quote, 'totalCents'> & {
  lines: readonly Pick<Quote['lines'][number], 'sku' | 'quantity' | 'unitPriceCents'>[];
};

/**
 * Compares the quote the form displayed with the server's fresh one for the same order (or with the order this
 * checkout attempt already placed, in `country`). Anything but the same country, the same SKUs and quantities at
 * the same unit prices and the same total is a change: the order must not be placed at a total the shopper did not
 * see, nor a placed one confirmed as if it were the total they see now.
 */
export function quoteChange(shown: ShownQuote, fresh: PricedTotal, country: string): QuoteChange | undefined {
  if (shown.country !== country) return 'country';
  const shownBySku = new Map(shown.lines.map((l) => [l.sku, l]));
  const sameCart =
    shown.lines.length === fresh.lines.length &&
    fresh.lines.every((l) => shownBySku.get(l.sku)?.quantity === l.quantity);
  if (!sameCart) return 'cart';
  const samePrices = fresh.lines.every((l) => shownBySku.get(l.sku)?.unitPriceCents === l.unitPriceCents);
  if (!samePrices || shown.totalCents !== fresh.totalCents) return 'prices';
  return undefined;
}

/** The sentence the form shows above the new total: what changed, that nothing was placed, what to do. */
export function quoteChangedMessage(
  change: QuoteChange,
  shown: ShownQuote,
  fresh: Quote,
  country: CountryCode,
): string {
  const total = formatMoney(fresh.totalCents);
  const why = {
    country: `The total you saw was for ${getCountry(shown.country).name}; shipping to ${getCountry(country).name} it is ${total}.`,
    cart: `Your cart changed since the total was shown; it is now ${total}.`,
    prices: `Prices changed since the total was shown; it is now ${total}.`,
  }[change];
  return `${why} No order was placed. Check the summary, then press Place order to confirm.`;
}

/**
 * The sentence for a checkout attempt that already placed an order at another total (the cart or country changed
 * since): which order, at what total, and what became of the cart `sent` now, once the browser takes out what that
 * order `bought` (removeBought, as after any order): what is left is what the next Place order orders.
 */
export function alreadyPlacedMessage(
  orderNumber: string,
  totalCents: number,
  sent: readonly CartLineInput[],
  bought: readonly CartLineInput[],
): string {
  const placed =
    `This checkout already placed order ${orderNumber} for ${formatMoney(totalCents)} ` +
    '(your earlier Place order went through).';
  if (!bought.some((b) => sent.some((l) => l.sku === b.sku)))
    return `${placed} None of its items are in your cart now: Place order orders your cart as it is, as a new order.`;
  if (removeBought(sent, bought).length === 0)
    return `${placed} Its items were taken out of your cart, which is now empty.`;
  return `${placed} Its items were taken out of your cart, so Place order now orders only what is left, at the total shown.`;
}
