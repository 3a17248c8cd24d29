import { z } from 'zod';
import { findVariantBySku } from './catalog';
import { emailField, nameField, withoutNul } from './fields';
import { isCountryCode, MAX_LINE_QUANTITY, type CountryCode } from './pricing';

/** Checkout input as the server accepts it. Only SKUs and quantities are read from the cart: prices never. */
export const MAX_CART_LINES = 20;

const cartLine = z.object({
  sku: z.string({ error: 'A cart line has no product.' }).refine((sku) => findVariantBySku(sku) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is no longer sold. Remove it from your cart and try again.`,
  }),
  quantity: z
    .number({ error: `Quantities must be whole numbers from 1 to ${MAX_LINE_QUANTITY}.` })
    .int(`Quantities must be whole numbers from 1 to ${MAX_LINE_QUANTITY}.`)
    .min(1, 'Quantities must be at least 1. Remove the item instead.')
    .max(MAX_LINE_QUANTITY, `At most ${MAX_LINE_QUANTITY} of one item per order.`),
});

export const cartLinesField = z
  .array(cartLine, { error: 'Your cart could not be read. Refresh the page and try again.' })
  .min(1, 'Your cart is empty. Add something before checking out.')
  .max(MAX_CART_LINES, `An order can hold at most ${MAX_CART_LINES} different items.`);

export const countryField = z.custom<CountryCode>((v) => typeof v === 'string' && isCountryCode(v), {
  error: 'Choose a country we ship to from the list.',
});

const requiredText = (what: string, max: number) =>
  z
    .string({ error: `Enter your ${what}.` })
    .trim()
    .min(1, `Enter your ${what}.`)
    .max(max, `Use at most ${max} characters for your ${what}.`)
    .refine(withoutNul, `Remove the control characters from your ${what}.`);

/** What the quote needs: the cart and where it ships. */
export const quoteInputSchema = z.object({ lines: cartLinesField, country: countryField });

export const checkoutSchema = quoteInputSchema.extend({
  email: emailField,
  name: nameField,
  addressLine1: requiredText('street address', 200),
  city: requiredText('city', 100),
  postalCode: requiredText('postal code', 20),
});

export type CheckoutInput = z.output<typeof checkoutSchema>;
