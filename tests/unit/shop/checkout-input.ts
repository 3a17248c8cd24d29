import { randomUUID } from 'node:crypto';
import { checkoutSchema } from '@/lib/shop/domain/checkout-schema';
import { quoteOrder, type CountryCode } from '@/lib/shop/domain/pricing';
import type { WELCOME_CODE } from '@/lib/shop/domain/welcome-code';

export type Line = { sku: string; quantity: number };

/** The quote the checkout form would have shown for these lines: what a well-behaved browser sends back. */
export const shown = (lines: Line[], country: CountryCode, code?: typeof WELCOME_CODE) => {
  const q = quoteOrder(lines, country, code);
  return {
    country,
    totalCents: q.totalCents,
    lines: q.lines.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
  };
};

export const checkout = (
  email: string,
  lines: (Line & Record<string, unknown>)[],
  { country = 'US', region = 'OR', quote = shown(lines, country), idempotencyKey = randomUUID() } = {} as {
    country?: CountryCode;
    region?: string;
    quote?: ReturnType<typeof shown>;
    idempotencyKey?: string;
  },
) =>
  checkoutSchema.parse({
    email,
    name: 'Ada',
    addressLine1: '1 Main St',
    city: 'Springfield',
    postalCode: '12345',
    country,
    region,
    lines,
    quote,
    idempotencyKey,
  });
