'use server';

import { getDb } from '@/lib/db';
import { validatedAction } from './action';
import { getSession } from './auth/session';
import { checkoutSchema, quoteInputSchema } from './checkout-schema';
import { orderUrl } from './order-links';
import { placeOrder as storeOrder } from './orders';
import { quoteOrder } from './pricing';

const quoteAction = validatedAction(quoteInputSchema, async ({ lines, country }) => {
  return { ok: true, quote: quoteOrder(lines, country) };
});

const placeOrderAction = validatedAction(checkoutSchema, async (input) => {
  const session = await getSession();
  const { orderId, customerId } = await storeOrder(await getDb(), input, session?.customerId);
  // tracking seam: Order Completed — sent from here, by the server, with the stored order's totals.
  return { ok: true, orderId, customerId, url: orderUrl(orderId) };
});

/** Totals for the cart shipped to a country, priced on the server (display only: placing re-prices). */
export async function quoteCheckout(input: unknown) {
  return quoteAction(input);
}

/** Places the order and returns the buyer's signed confirmation link and canonical customer id. */
export async function placeOrder(input: unknown) {
  return placeOrderAction(input);
}
