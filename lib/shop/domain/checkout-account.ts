/**
 * Who a checkout page was rendered for, sent back with Place order: the signed-in customer's id, or `guest`. Only
 * to notice that someone signed in or out (in another tab) since the page opened; the session alone says whom an
 * order is for. No zod here: the checkout form imports this (the field's schema is in checkout-schema.ts).
 */
export const GUEST_ACCOUNT = 'guest';

/** The signed-in customer a checkout page is rendered for (none: a guest checkout). */
export type CheckoutAccount = { id: string; email: string; name: string | null };

/** The account a page shows: the signed-in customer's id, or GUEST_ACCOUNT. */
export const accountShown = (customerId: string | undefined) => customerId ?? GUEST_ACCOUNT;

/**
 * Why Place order placed nothing: the session is no longer the account the page showed. `current`: who is signed in
 * now (undefined: nobody). Says what changed and whom the next press orders for, which the page then shows.
 */
export function accountChangedMessage(current: { email: string } | undefined): string {
  const changed = current
    ? `You signed in as ${current.email} in another tab since this page opened`
    : 'You signed out (in another tab, or your session ended) since this page opened';
  const next = current ? 'Your order now goes to that account' : 'Your order is now a guest order';
  return `${changed}, so no order was placed. ${next}: check your details, then place your order.`;
}
