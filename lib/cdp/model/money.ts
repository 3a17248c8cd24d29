/**
 * The console's money format: a decimal major-unit amount (as events carry it) with its ISO 4217 code, e.g.
 * 24 "USD" → "$24.00". An unknown code still shows the amount. Emails use Customer.io's `currency` filter instead
 * (engine/messages/liquid.ts).
 */
export function formatAmount(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}
