import type { Liquid } from 'liquidjs';

const DEFAULT_CURRENCY = 'USD';

/**
 * `{{ item.price | money: event.currency }}`: a decimal major-unit amount (as events carry it) formatted
 * for its ISO 4217 currency, e.g. 24 → "$24.00", 24 with "EUR" → "€24.00". The only non-standard piece of
 * the templates: when pasting one into Customer.io, swap it for a number-formatting filter available there.
 */
export function money(value: unknown, currency: unknown = DEFAULT_CURRENCY): string {
  const amount = typeof value === 'number' ? value : Number(value);
  if (value === null || value === undefined || value === '' || !Number.isFinite(amount)) return '';
  const code = typeof currency === 'string' && currency ? currency.toUpperCase() : DEFAULT_CURRENCY;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).format(amount);
  } catch {
    // An unknown currency code: still show the amount rather than fail the whole message.
    return `${amount.toFixed(2)} ${code}`;
  }
}

export function registerFilters(engine: Liquid): void {
  engine.registerFilter('money', money);
}
