import 'server-only';
import { sign, verifySignature } from '@/lib/common/secrets';
import { ORDER_SIGNATURE_PARAM } from '@/lib/shop/domain/private-urls';

// Domain-separated, so a signature made for something else (a cart-restore link) never opens an order.
const payload = (orderId: string) => `order:${orderId}`;

/** The buyer's link to their confirmation page; the signature is the proof of being the buyer. */
export function orderUrl(orderId: string): string {
  return `/orders/${encodeURIComponent(orderId)}?${ORDER_SIGNATURE_PARAM}=${sign(payload(orderId))}`;
}

export function isValidOrderSignature(orderId: string, signature: string | null | undefined): boolean {
  return !!signature && verifySignature(payload(orderId), signature);
}
