/**
 * Where this tab keeps its checkout attempt (sessionStorage, ./checkout-attempt.ts): the attempt's key (placeOrder's
 * idempotencyKey) and the draft typed into its form. Apart from that module so that forgetting them
 * (`endCheckoutAttempt`) costs the login and signup pages, which do it when another customer signs in over one,
 * none of its code.
 */
export const ATTEMPT_KEY = 'glowlab-checkout-attempt';
export const DRAFT_KEY = 'glowlab-checkout-draft';
const PLACED_KEY = 'glowlab-checkout-placed';
/** How long an empty checkout in this tab still names the order it placed (placedOrder). */
const PLACED_SHOWN_MS = 30 * 60_000;

/** `account`: who the order was placed for as the page showed it (accountShown): only that account is told of it. */
export type PlacedOrder = { orderNumber: string; url: string; account: string };

/**
 * The attempt placed its order (`placed`): the next checkout in this tab is a new attempt, with an empty form (the
 * address typed is in the order now, not left in the tab), and the order is kept for placedOrder. Without `placed`
 * (another customer signs in, or this one out), the last order placed goes too.
 */
export function endCheckoutAttempt(placed?: PlacedOrder) {
  try {
    sessionStorage.removeItem(ATTEMPT_KEY);
    sessionStorage.removeItem(DRAFT_KEY);
    if (placed) sessionStorage.setItem(PLACED_KEY, JSON.stringify({ ...placed, at: Date.now() }));
    else sessionStorage.removeItem(PLACED_KEY);
  } catch {
    // Storage blocked: there is nothing saved to forget.
  }
}

/**
 * The order this tab placed in the last half hour, for `account` (the account the page shows now): a reload (or Back)
 * between the answer and its confirmation page finds the cart it emptied, and says the order was placed rather than
 * nothing. Only a link into this shop's orders, and only to the account it was placed for: signed out or in as
 * another in another tab since, this tab's storage still holds it, and its signed link shows the buyer's address.
 */
export function placedOrder(account: string, now = Date.now()): PlacedOrder | undefined {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(PLACED_KEY) ?? 'null');
    if (!saved || typeof saved !== 'object') return undefined;
    const { orderNumber, url, at } = saved as Record<string, unknown>;
    const recent = typeof at === 'number' && now - at >= 0 && now - at < PLACED_SHOWN_MS;
    const theirs = (saved as Record<string, unknown>).account === account;
    if (theirs && recent && typeof orderNumber === 'string' && typeof url === 'string' && url.startsWith('/orders/'))
      return { orderNumber, url, account };
  } catch {
    // Storage blocked, or something else saved there: no order to name.
  }
  return undefined;
}
