'use client';

import { identify } from '@/lib/tracking/browser';
import type { IdentifyTraits } from '@/lib/tracking/identity';
import { useCart, type CartLine } from './cart-store';
import { endCheckoutAttempt } from './checkout-keys';

// Apart from ./tracking.ts (its server actions and plan helpers), so that the login and signup pages load only this.

/** What a mirroring action needs of the cart: SKUs and quantities; it prices them itself. */
export const skuLines = (lines: readonly CartLine[]) => lines.map(({ sku, quantity }) => ({ sku, quantity }));

/** What an action that identifies the shopper needs to set the `cart` person attribute: this browser's cart. */
export const cartSnapshot = () => skuLines(useCart.getState().lines);

/**
 * The browser's cart and this tab's checkout draft leave with the customer who signed out, or whom another customer
 * signed in over: the next shopper would see what they chose, and it would go as `items` into the next shopper's
 * cart events (and, at a signup or login, into their `cart` attribute and recovery email). Untracked: no Removed
 * from Cart under the next shopper's id, and the leaving customer's `cart` attribute (their recovery email) stays.
 */
export function forgetShopperCart(): void {
  endCheckoutAttempt();
  useCart.getState().clear();
}

/**
 * After the server returned the canonical id (signup, login, order, email capture): the SDK identifies too. A login
 * or signup over another customer signed in on this browser (`switched`, lib/shop/actions/auth.ts) is their logout
 * first: their cart stays behind with them.
 */
export function identifyShopper(result: {
  customerId: string;
  traits: IdentifyTraits;
  anonymousId?: string;
  signature?: string | null;
  switched?: boolean;
}): void {
  if (result.switched) forgetShopperCart();
  identify(result.customerId, result.traits, { anonymousId: result.anonymousId, signature: result.signature });
}
