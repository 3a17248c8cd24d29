import 'server-only';
import crypto from 'node:crypto';
import { appSecret } from '@/lib/common/secrets';
import { uuidV4FromBytes } from '@/lib/tracking/ids';

/** `<prefix>_` + 24 url-safe random characters (144 bits): unguessable, so ids can appear in links. */
export function mintId(prefix: 'cus' | 'ord'): string {
  return `${prefix}_${crypto.randomBytes(18).toString('base64url')}`;
}

/**
 * The messageId of an order's Order Completed, derived from the order id (UUID v4 layout): a retried checkout
 * that gets the same order back sends the event again under the same id, so the pipeline keeps it once —
 * and still gets it if the first attempt stored the order but failed before tracking. Keyed with APP_SECRET: the
 * buyer sees the order id, and the shop's mirror actions take the messageId the browser's call got, so an id anyone
 * could derive would let a mirror sent under it first take the place of the real Order Completed (the pipeline
 * keeps the first trusted copy of an id).
 */
export function orderCompletedMessageId(orderId: string): string {
  return uuidV4FromBytes(crypto.createHmac('sha256', appSecret()).update(`order-completed:${orderId}`).digest());
}
