'use server';

import { z } from 'zod';
import { failure, validatedAction } from '@/lib/shop/server/action';
import { findVariantBySku } from '@/lib/shop/domain/catalog';
import { MAX_ID_LENGTH } from '@/lib/shop/domain/cart-lines';
import { cartContentsField, cartLinesField, lineQuantityField } from '@/lib/shop/domain/checkout-schema';
import { mirrorFields } from '@/lib/shop/domain/fields';
import { restoreTokenId, stillSold, verifyRestoreToken } from '@/lib/shop/server/restore-token';
import { shopNow } from '@/lib/shop/server/shop-clock';
import { followCart, mirrorCartChange, serverCartProps } from '@/lib/shop/server/tracking';

// Sentences a person can act on, not zod's "Invalid input: expected int, received number".
const NO_ITEM = 'The item changed could not be read. Refresh the page and try again.';
const lineChange = z.object(
  {
    sku: z.string({ error: NO_ITEM }).min(1, NO_ITEM).max(MAX_ID_LENGTH, NO_ITEM),
    quantity: lineQuantityField,
  },
  { error: NO_ITEM },
);
const UNREADABLE_LINK = 'This cart link could not be read. Open it again from your email.';

const addedSchema = z.object({ lines: cartLinesField, added: lineChange, ...mirrorFields });
const removedSchema = z.object({ lines: cartContentsField, removed: lineChange, ...mirrorFields });
const keptSchema = z.object({ lines: cartContentsField });
const restoredSchema = z.object({
  token: z.string({ error: UNREADABLE_LINK }).min(1, UNREADABLE_LINK).max(4096, UNREADABLE_LINK),
  ...mirrorFields,
});

/**
 * Server copy of Added to Cart; call it with the messageId the browser's track returned. The cart lives in
 * the browser; this mirror re-prices it from the catalogue (SKUs and quantities only), adds the restore link
 * and, for a known shopper (signed in, or this browser identified as them), updates the `cart` attribute.
 */
export const recordCartAdd = validatedAction(addedSchema, async ({ lines, added, messageId, ageMs }) => {
  const cart = await serverCartProps(lines);
  const line = cart.items.find((i) => i.sku === added.sku);
  if (!line) return failure('The added item is not in the cart.');
  // The copy the pipeline trusts: it may not claim more were added than the cart now holds.
  if (added.quantity > line.quantity) return failure('The cart holds fewer of the added item than that.');
  const props = { added: { sku: line.sku, variant_id: line.variant_id, quantity: added.quantity }, ...cart };
  await mirrorCartChange('Added to Cart', props, { messageId, ageMs, lines });
  return { ok: true };
});

/** Server copy of Removed from Cart, like recordCartAdd; the cart may now be empty. */
export const recordCartRemove = validatedAction(removedSchema, async ({ lines, removed, messageId, ageMs }) => {
  const found = findVariantBySku(removed.sku);
  if (!found) return failure('The removed item is not sold here.');
  const props = { removed: { ...removed, variant_id: found.variant.id }, ...(await serverCartProps(lines)) };
  await mirrorCartChange('Removed from Cart', props, { messageId, ageMs, lines });
  return { ok: true };
});

/**
 * Server copy of Cart Restored (the restore link's button), like recordCartAdd: the lines come from the signed
 * token, as the restore page showed them, never from the browser; a known shopper's `cart` attribute follows.
 */
export const recordCartRestore = validatedAction(restoredSchema, async ({ token, messageId, ageMs }) => {
  const link = verifyRestoreToken(token, await shopNow());
  const lines = link.ok ? stillSold(link.lines) : [];
  if (lines.length === 0) return failure('This cart link is not valid any more.');
  const props = { restore_token_id: restoreTokenId(token), ...(await serverCartProps(lines)) };
  await mirrorCartChange('Cart Restored', props, { messageId, ageMs, lines });
  return { ok: true };
});

/**
 * The cart an order left (what another tab added while it was placed): the order's identify emptied a known
 * shopper's `cart` attribute, which follows the cart again here, or cart recovery would miss those lines. No event:
 * nothing was added or removed, and an anonymous shopper has no attribute to set.
 */
export const recordCartAfterOrder = validatedAction(keptSchema, async ({ lines }) => {
  await followCart(lines);
  return { ok: true };
});
