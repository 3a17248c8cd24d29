import 'server-only';
import crypto from 'node:crypto';
import { uuidV4FromBytes } from '@/lib/tracking/ids';

/** `<prefix>_` + 24 url-safe random characters (144 bits): unguessable, so ids can appear in links. */
export function mintId(prefix: 'cus' | 'ord'): string {
  return `${prefix}_${crypto.randomBytes(18).toString('base64url')}`;
}

/**
 * The messageId of an order's Order Completed, derived from the order id (UUID v4 layout): a retried checkout
 * that gets the same order back sends the event again under the same id, so the pipeline keeps it once —
 * and still gets it if the first attempt stored the order but failed before tracking.
 */
export function orderCompletedMessageId(orderId: string): string {
  return uuidV4FromBytes(crypto.createHash('sha256').update(`order-completed:${orderId}`).digest());
}
