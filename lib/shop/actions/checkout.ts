'use server';

import { getDb } from '@/lib/db';
import { validatedAction } from '@/lib/shop/server/action';
import { getSession } from '@/lib/shop/server/auth/session';
import { checkoutSchema, quoteInputSchema } from '@/lib/shop/domain/checkout-schema';
import { messageIdField } from '@/lib/shop/domain/fields';
import { orderUrl } from '@/lib/shop/server/order-links';
import { placeOrder as storeOrder } from '@/lib/shop/server/orders';
import { quoteOrder } from '@/lib/shop/domain/pricing';
import { cartProps, orderCompletedProps } from '@/lib/shop/domain/tracking-items';
import { acquisitionSource, identifyCustomer, serverTracker, trackingOrigin } from '@/lib/shop/server/tracking';

/** Totals for the cart shipped to a country, priced on the server (display only: placing re-prices). */
export const quoteCheckout = validatedAction(quoteInputSchema, async ({ lines, country }) => {
  return { ok: true, quote: quoteOrder(lines, country) };
});

/** Places the order and returns the buyer's signed confirmation link, canonical customer id and identify traits. */
export const placeOrder = validatedAction(checkoutSchema, async (input) => {
  const session = await getSession();
  const { orderId, customer, order } = await storeOrder(await getDb(), input, session?.customerId, {
    acquisitionSource: await acquisitionSource('checkout'),
  });
  // A guest is known from here on: identify with this browser's anonymous id, then the authoritative
  // Order Completed — server only, from the order as stored, so an ad-blocker or a closed tab loses nothing.
  const traits = await identifyCustomer(customer);
  await serverTracker().trackServerOnly('Order Completed', orderCompletedProps(order, trackingOrigin()), {
    userId: customer.id,
  });
  return { ok: true, orderId, customerId: customer.id, traits, url: orderUrl(orderId) };
});

/**
 * Server copy of Checkout Started; call it with the messageId the browser's track returned. The cart is
 * re-priced here from SKUs.
 */
export const recordCheckoutStarted = validatedAction(
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
