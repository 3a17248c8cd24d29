/**
 * The shop's currency and its one money formatter, apart from the catalogue and pricing so that client components
 * showing a price do not bring the catalogue into their page's first load.
 */
export const CURRENCY = 'USD';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: CURRENCY });

/** "$12.50" — the one money formatter, so server and client render identical strings. */
export function formatMoney(cents: number): string {
  return money.format(cents / 100);
}
