/**
 * The shop's one discount: the welcome code the email-capture popup shows, 10% off a customer's first order.
 * Catalogue- and zod-free, so the popup and the checkout form can import it without growing their first load.
 */
export const WELCOME_CODE = 'WELCOME10';

/** 10% in basis points, so the discount is computed in integers (pricing.ts `welcomeDiscountOn`). */
export const WELCOME_BASIS_POINTS = 1_000;

/** The sentence shown with the code: everything it promises is what checkout applies. */
export const WELCOME_OFFER = `Use ${WELCOME_CODE} at checkout: 10% off your first order.`;

/**
 * Codes are typed (or pasted) by people: case, surrounding spaces and invisible characters do not matter (a
 * zero-width space or BOM copied from an email with the code), and full-width letters and digits, what a Japanese
 * or Chinese keyboard types by default, read as the ASCII ones (NFKC: "ＷＥＬＣＯＭＥ１０" is WELCOME10).
 */
export const normalizeCode = (raw: string) =>
  raw
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .trim()
    .toUpperCase();

export const isWelcomeCode = (raw: string) => normalizeCode(raw) === WELCOME_CODE;

/**
 * The code in the checkout's field when it is not the one the shown total was quoted with (`applied`, by Apply or
 * Enter): '' when the field was emptied. Place order then applies it and places nothing, rather than charging the
 * total without the code the shopper typed (or with the one they removed). Undefined when the field says what was
 * applied.
 */
export function unappliedCode(typed: string, applied: string): string | undefined {
  const code = normalizeCode(typed);
  return code === normalizeCode(applied) ? undefined : code;
}

export const UNKNOWN_CODE = (code: string) =>
  `"${code}" is not a discount code we know. Your total is shown without a discount.`;
export const SPENT_CODE =
  `${WELCOME_CODE} is for a first order only, and this email has ordered before. ` +
  'Your total is shown without a discount: remove the code to order at this total.';

/** Place order's answers when the field's code is not the one the shown total was quoted with (unappliedCode). */
export const CODE_NOW_APPLIED =
  'Your discount code had not been applied yet, so no order was placed. Check the total with it, then place your order.';
export const CODE_NOW_REMOVED =
  'You removed the discount code, so no order was placed. Check the total without it, then place your order.';
export const CODE_FOR_NEW_EMAIL =
  'Your discount code was checked for the email typed before, so no order was placed. Check the total for this ' +
  'email, then place your order.';
