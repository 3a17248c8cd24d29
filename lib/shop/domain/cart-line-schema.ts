import { z } from 'zod';
import { MAX_ID_LENGTH } from './cart-lines';
import { MAX_LINE_QUANTITY } from './pricing';

/** A cart line at the server's boundaries (restore links): the bounds the browser's cart store checks by hand. */
export const cartLineSchema = z.object({
  sku: z.string().min(1).max(MAX_ID_LENGTH),
  variantId: z.string().min(1).max(MAX_ID_LENGTH),
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
});
