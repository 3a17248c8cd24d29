'use server';

import { z } from 'zod';
import { failure, validatedAction } from '@/lib/shop/server/action';
import { cartLinesField } from '@/lib/shop/domain/checkout-schema';
import { messageIdField } from '@/lib/shop/domain/fields';
import { MAX_LINE_QUANTITY } from '@/lib/shop/domain/pricing';
import { cartProps } from '@/lib/shop/domain/tracking-items';
import { serverTracker, trackingOrigin } from '@/lib/shop/server/tracking';

const addedSchema = z.object({
  lines: cartLinesField,
  added: z.object({ sku: z.string().min(1).max(64), quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY) }),
  messageId: messageIdField,
});

/**
 * Server copy of Added to Cart; call it with the messageId the browser's track returned. The cart lives in
 * the browser; this mirror re-prices it from the catalogue (SKUs and quantities only).
 */
export const recordCartAdd = validatedAction(addedSchema, async ({ lines, added, messageId }) => {
  const items = cartProps(lines, trackingOrigin());
  const line = items.items.find((i) => i.sku === added.sku);
  if (!line) return failure('The added item is not in the cart.');
  const props = { added: { sku: line.sku, variant_id: line.variant_id, quantity: added.quantity }, ...items };
  await serverTracker().mirror('Added to Cart', props, { messageId });
  return { ok: true };
});
