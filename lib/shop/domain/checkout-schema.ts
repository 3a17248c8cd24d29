import { z } from 'zod';
import { CANONICAL_CUSTOMER_ID } from '@/lib/tracking/identity-guard';
import { GUEST_ACCOUNT } from './checkout-account';
import { MAX_CART_LINES, mergeLines } from './cart-lines';
import { findVariantBySku, listCartSkus } from './catalog';
import { emailField, nameField, storableText } from './fields';
import { isCountryCode, MAX_LINE_QUANTITY, type CountryCode } from './pricing';
import { regionsFor } from './regions';
import { unsoldItem } from './unsold-item';
import { normalizeCode } from './welcome-code';

const UNREADABLE_CART = 'Your cart could not be read. Refresh the page and try again.';

/** How many of one item a line holds: also the cart mirrors' added or removed quantity (lib/shop/actions/cart.ts). */
export const lineQuantityField = z
  .number({ error: `Quantities must be whole numbers from 1 to ${MAX_LINE_QUANTITY}.` })
  .int(`Quantities must be whole numbers from 1 to ${MAX_LINE_QUANTITY}.`)
  .min(1, 'Quantities must be at least 1. Remove the item instead.')
  .max(MAX_LINE_QUANTITY, `At most ${MAX_LINE_QUANTITY} of one item per order.`);

const cartLine = z.object(
  {
    sku: z.string({ error: 'A cart line has no product.' }).refine((sku) => findVariantBySku(sku) !== undefined, {
      // Named as a person knows it, never the SKU as sent (a request may send any text, of any length).
      error: (issue) =>
        `${unsoldItem(String(issue.input), listCartSkus())} in your cart is no longer sold. Remove it from your cart and try again.`,
    }),
    quantity: lineQuantityField,
  },
  // A line that is not an object at all (null, a bare SKU) was answered "Invalid input: expected object, …".
  { error: UNREADABLE_CART },
);

const cartLineList = z.array(cartLine, { error: UNREADABLE_CART });

/**
 * One line per SKU, capped at 99 (three lines of 99 are 99 of that item, as in the cart itself), and the limit on
 * different items counted on those: 21 lines of one SKU are one item, not "more than 20 different items".
 */
const mergedCart = (lines: typeof cartLineList) =>
  lines
    .transform((sent) => mergeLines(sent))
    .refine((merged) => merged.length <= MAX_CART_LINES, {
      error: `An order can hold at most ${MAX_CART_LINES} different items.`,
    });

export const cartLinesField = mergedCart(cartLineList.min(1, 'Your cart is empty. Add something before checking out.'));

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The whole cart after a change, which may have left it empty (a removal). */
export const cartContentsField = mergedCart(cartLineList);

/**
 * The browser's cart, handed to an action that identifies the shopper (signup, login, email capture) so the
 * server can set the `cart` person attribute. It never fails the action: lines no longer sold are left out, and
 * a cart that cannot be read at all is `undefined` (the attribute stays as it was). Forms send it as JSON.
 */
export const cartSnapshotField = z
  .preprocess(
    (raw) => (typeof raw === 'string' ? parseJson(raw) : raw),
    z.array(z.object({ sku: z.string(), quantity: z.number() })).max(MAX_CART_LINES),
  )
  .transform((lines) => mergeLines(lines.filter((l) => cartLine.safeParse(l).success)))
  .optional()
  .catch(undefined);

export const countryField = z.custom<CountryCode>((v) => typeof v === 'string' && isCountryCode(v), {
  error: 'Choose a country we ship to from the list.',
});

const requiredText = (what: string, max: number) =>
  storableText(
    z
      .string({ error: `Enter your ${what}.` })
      .trim()
      .min(1, `Enter your ${what}.`)
      .max(max, `Use at most ${max} characters for your ${what}.`),
    what,
  );

/**
 * A discount code as typed: trimmed and upper-cased, empty = none. Whether it is a code and still valid for this
 * customer is the server's question (lib/shop/server/discounts.ts): an unknown one is not a malformed form.
 */
const discountCodeField = z
  .string({ error: 'Enter the code as text.' })
  .max(40, 'That is longer than any code we have.')
  .transform((raw) => normalizeCode(raw) || undefined)
  .optional();

/**
 * What the quote needs: the cart, where it ships, and the discount code if one is applied — with the email it
 * is for, if the shopper has typed one, so a spent code is refused before Place order (which checks again). An
 * email that is no address yet (half typed) is none: no customer has it, and looking it up as typed could fail
 * (PostgreSQL cannot compare text holding a NUL).
 */
export const quoteInputSchema = z.object({
  lines: cartLinesField,
  country: countryField,
  discountCode: discountCodeField,
  email: emailField.optional().catch(undefined),
});

const RELOAD = 'Your checkout could not be read. Reload the page and try again.';

/**
 * The quote the form displayed when the shopper pressed Place order. The server prices the cart again and
 * places the order only if it comes to the same lines and total for the same country.
 */
export const shownQuoteField = z.object(
  {
    country: countryField,
    totalCents: z.number({ error: RELOAD }).int(RELOAD).nonnegative(RELOAD),
    lines: z
      .array(
        z.object({
          sku: z.string({ error: RELOAD }).max(64, RELOAD),
          quantity: z.number({ error: RELOAD }).int(RELOAD),
          unitPriceCents: z.number({ error: RELOAD }).int(RELOAD),
        }),
        { error: RELOAD },
      )
      .max(MAX_CART_LINES, RELOAD),
  },
  { error: RELOAD },
);
export type ShownQuote = z.output<typeof shownQuoteField>;

/**
 * Checkout input as the server accepts it. The state/province is required (and must be on the list) for
 * the countries whose addresses need one, and dropped for every other country.
 */
export const checkoutSchema = quoteInputSchema
  .extend({
    email: emailField,
    name: nameField,
    addressLine1: requiredText('street address', 200),
    city: requiredText('city', 100),
    postalCode: requiredText('postal code', 20),
    region: z.string({ error: 'Choose from the list.' }).trim().max(8, 'Choose from the list.').optional(),
    quote: shownQuoteField,
    /** Made by the browser when the checkout opened: the same attempt is never placed twice. */
    idempotencyKey: z.uuid({ error: RELOAD }),
  })
  .superRefine(
    ({ country, region }, ctx) => {
      const set = regionsFor(country);
      const what = set?.label.toLowerCase();
      if (!set) return;
      if (!region) ctx.addIssue({ code: 'custom', path: ['region'], message: `Choose your ${what}.` });
      else if (!set.regions.some((r) => r.code === region))
        ctx.addIssue({ code: 'custom', path: ['region'], message: `Choose a ${what} from the list.` });
    },
    // Reported alongside the other fields' problems, so the shopper sees every one at once.
    // (Not when the input itself, the country or the region is unreadable: nothing to check against.)
    { when: ({ issues }) => !issues.some((i) => [undefined, 'country', 'region'].includes(i.path?.[0] as string)) },
  )
  .transform(({ region, ...input }) => ({ ...input, region: regionsFor(input.country) ? region! : null }));

export type CheckoutInput = z.output<typeof checkoutSchema>;

/**
 * Place order's input: the checkout, and the account the page was rendered for (checkout-account.ts). It only
 * detects a sign-in or sign-out since; a forged id changes nothing but the refusal (the session says who orders).
 * Kept out of checkoutSchema, which the order store and its tests take without it.
 */
export const placeOrderSchema = z
  .object({
    account: z
      .string({ error: RELOAD })
      .refine((v) => v === GUEST_ACCOUNT || (v.length <= 64 && CANONICAL_CUSTOMER_ID.test(v)), { error: RELOAD }),
  })
  .and(checkoutSchema);
