/**
 * Where this tab keeps its checkout attempt (sessionStorage, ./checkout-attempt.ts): the attempt's key (placeOrder's
 * idempotencyKey) and the draft typed into its form. Apart from that module so that forgetting them
 * (`endCheckoutAttempt`) costs the login and signup pages, which do it when another customer signs in over one,
 * none of its code.
 */
export const ATTEMPT_KEY = 'glowlab-checkout-attempt';
export const DRAFT_KEY = 'glowlab-checkout-draft';

/**
 * The attempt placed its order and the shopper saw it: the next checkout in this tab is a new attempt, with an
 * empty form (the address typed is in the order now, not left in the tab).
 */
export function endCheckoutAttempt() {
  try {
    sessionStorage.removeItem(ATTEMPT_KEY);
    sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // Storage blocked: there is nothing saved to forget.
  }
}
