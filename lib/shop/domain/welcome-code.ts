/**
 * The shop's one discount: the welcome code the email-capture popup shows, 10% off a customer's first order.
 * Catalogue- and zod-free, so the popup and the checkout form can import it without growing their first load.
 */
export const WELCOME_CODE = 'WELCOME10';

/** 10% in basis points, so the discount is computed in integers (pricing.ts `welcomeDiscountOn`). */
export const WELCOME_BASIS_POINTS = 1_000;

/** The sentence shown with the code: everything it promises is what checkout applies. */
export const WELCOME_OFFER = `Use ${WELCOME_CODE} at checkout: 10% off your first order.`;

/** Codes are typed by people: case and surrounding spaces do not matter. */
export const normalizeCode = (raw: string) => raw.trim().toUpperCase();

export const isWelcomeCode = (raw: string) => normalizeCode(raw) === WELCOME_CODE;

export const UNKNOWN_CODE = (code: string) =>
  `"${code}" is not a discount code we know. Your total is shown without a discount.`;
export const SPENT_CODE =
  `${WELCOME_CODE} is for a first order only, and this email has ordered before. ` +
  'Your total is shown without a discount: remove the code to order at this total.';
