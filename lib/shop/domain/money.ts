/**
 * The shop's currency and its one money formatter, apart from the catalogue and pricing so that client components
 * showing a price do not bring the catalogue into their page's first load.
 */
export const CURRENCY = 'USD';

// Made on the first price formatted, not when the module loads: a browser's first currency formatter loads ICU's
// currency data, 30–90 ms of main thread on this machine (far more on a phone). Chunks that import this module only
// for CURRENCY (the tracking plan's items, the email popup) must not pay for it, nor a page that formats no price in
// the browser (prices on prerendered pages are formatted on the server).
let money: Intl.NumberFormat | undefined;

/** "$12.50" — the one money formatter, so server and client render identical strings. */
export function formatMoney(cents: number): string {
  money ??= new Intl.NumberFormat('en-US', { style: 'currency', currency: CURRENCY });
  return money.format(cents / 100);
}
