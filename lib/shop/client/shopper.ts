'use client';

import { identify } from '@/lib/tracking/browser';
import type { IdentifyTraits } from '@/lib/tracking/identity';
import { useCart, type CartLine } from './cart-store';

// Apart from ./tracking.ts (its server actions and plan helpers), so that the login and signup pages load only this.

/** What a mirroring action needs of the cart: SKUs and quantities; it prices them itself. */
export const skuLines = (lines: readonly CartLine[]) => lines.map(({ sku, quantity }) => ({ sku, quantity }));

/** What an action that identifies the shopper needs to set the `cart` person attribute: this browser's cart. */
export const cartSnapshot = () => skuLines(useCart.getState().lines);

/** After the server returned the canonical id (signup, login, order, email capture): the SDK identifies too. */
export function identifyShopper(result: { customerId: string; traits: IdentifyTraits }): void {
  identify(result.customerId, result.traits);
}
