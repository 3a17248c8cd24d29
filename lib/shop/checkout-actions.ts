'use server';

import { getDb } from '@/lib/db';
import { failure, validatedAction } from './action';
import { getSession } from './auth/session';
import { checkoutSchema, quoteInputSchema } from './checkout-schema';
import { messageIdField } from './fields';
import { orderCompletedMessageId } from './ids';
import { orderUrl } from './order-links';
import { formatOrderNumber } from './order-numbers';
import { placeOrder as storeOrder } from './orders';
import { quoteOrder } from './pricing';
import { quoteChangedMessage } from './quote-check';
import { cartProps, orderCompletedProps } from './tracking-items';
import { acquisitionSource, identifyCustomer, serverTracker, trackingOrigin } from './tracking-server';

const quoteAction = validatedAction(quoteInputSchema, async ({ lines, country }) => {
  return { ok: true, quote: quoteOrder(lines, country) };
});

const placeOrderAction = validatedAction(checkoutSchema, async (input) => {
  const session = await getSession();
  const result = await storeOrder(await getDb(), input, session?.customerId, {
    acquisitionSource: await acquisitionSource('checkout'),
  });
  if (result.status === 'quote_changed') {
    // Nothing was stored: hand back the new quote so the form shows it and the shopper confirms again.
    const message = quoteChangedMessage(result.change, input.quote, result.quote, input.country);
    return { ...failure(message), quoteChanged: { country: input.country, quote: result.quote } };
  }
  const { orderId, customer, order } = result;
  // A guest is known from here on: identify with this browser's anonymous id, then the authoritative
  // Order Completed — server only, from the order as stored, so an ad-blocker or a closed tab loses nothing.
  // A replayed attempt sends it again under the same messageId: the pipeline keeps one.
  const traits = await identifyCustomer(customer);
  await serverTracker().trackServerOnly('Order Completed', orderCompletedProps(order, trackingOrigin()), {
    userId: customer.id,
    messageId: orderCompletedMessageId(orderId),
  });
  return {
    ok: true,
    orderId,
    orderNumber: formatOrderNumber(order.order_number),
    customerId: customer.id,
    traits,
    url: orderUrl(orderId),
  };
});

// Mirror of the browser's Checkout Started (same messageId): the cart is re-priced here from SKUs.
const checkoutStartedAction = validatedAction(
  quoteInputSchema.extend({ messageId: messageIdField }),
  async ({ lines, country, messageId }) => {
    await serverTracker().mirror(
      'Checkout Started',
      { ...cartProps(lines, trackingOrigin()), shipping_country: country },
      { messageId },
    );
    return { ok: true };
  },
);

/** Totals for the cart shipped to a country, priced on the server (display only: placing re-prices). */
export async function quoteCheckout(input: unknown) {
  return quoteAction(input);
}

/**
 * Places the order — once per `idempotencyKey`, and only if the server's total matches the `quote` the form
 * showed — and returns the buyer's signed confirmation link, order number, canonical customer id and identify
 * traits. A retry with the same key answers with the order the first attempt placed. A stale quote places
 * nothing and fails with `quoteChanged` (the new quote) for the form to show.
 */
export async function placeOrder(input: unknown) {
  return placeOrderAction(input);
}

/** Server copy of Checkout Started; call it with the messageId the browser's track returned. */
export async function recordCheckoutStarted(input: unknown) {
  return checkoutStartedAction(input);
}
