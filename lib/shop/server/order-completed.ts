import 'server-only';
import { orderCompletedProps } from '@/lib/shop/domain/tracking-items';
import type { OutboxCall } from './event-outbox';
import { orderCompletedMessageId } from './ids';
import type { Order } from './orders';

/**
 * Who the order's browser was when it was placed, for its Order Completed: `origin` for the item URLs,
 * `anonymousId` the request's cookie (the server's copy links the order to that browser, as the SDK's call did).
 */
export type OrderCompletedContext = { origin: string; anonymousId: string | null };

/**
 * The authoritative Order Completed, from the order as stored, under a messageId derived from the order id: a
 * retried checkout or a resend after an outage is the same call, and the pipeline keeps one.
 */
export const orderCompletedCall = (order: Order, { origin, anonymousId }: OrderCompletedContext): OutboxCall => ({
  type: 'track',
  event: 'Order Completed',
  properties: orderCompletedProps(order, origin),
  userId: order.customer_id,
  anonymousId,
  messageId: orderCompletedMessageId(order.id),
  timestamp: order.created_at,
});
