'use server';

import { headers } from 'next/headers';
import { getDb } from '@/lib/db';
import { clientAddress } from '@/lib/common/client-address';
import { accountChangedMessage, accountShown } from '@/lib/shop/domain/checkout-account';
import { placeOrderSchema, quoteInputSchema } from '@/lib/shop/domain/checkout-schema';
import { mirrorFields } from '@/lib/shop/domain/fields';
import { quoteOrder } from '@/lib/shop/domain/pricing';
import { alreadyPlacedMessage, quoteChangedMessage } from '@/lib/shop/domain/quote-check';
import { failure, validatedAction } from '@/lib/shop/server/action';
import { currentCustomer, getSession } from '@/lib/shop/server/auth/session';
import { browserIsCustomer } from '@/lib/shop/server/customer-browsers';
import { checkDiscountCode, checkGuestDiscountCode } from '@/lib/shop/server/discounts';
import { orderCompletedMessageId } from '@/lib/shop/server/ids';
import { orderUrl } from '@/lib/shop/server/order-links';
import { formatOrderNumber } from '@/lib/shop/server/order-numbers';
import { boughtLines, orderIdOfAttempt, placeOrder as storeOrder } from '@/lib/shop/server/orders';
import {
  acquisitionSource,
  identifyCustomer,
  serverCartProps,
  mirrorCartChange,
  trackingOrigin,
} from '@/lib/shop/server/tracking';
import { sendShopEventsAfterResponse } from '@/lib/shop/server/shop-events';
import { readRequestAnonymousId, requestAllowsTracking } from '@/lib/tracking/server';
import { env } from '@/lib/env';

/**
 * Totals for the cart shipped to a country, priced on the server (display only: placing re-prices and checks the
 * code again). A code that does not apply comes back as `codeError`, with the total without it.
 */
export const quoteCheckout = validatedAction(quoteInputSchema, async ({ lines, country, discountCode, email }) => {
  const check = discountCode ? await quoteCodeCheck(discountCode, email) : {};
  return { ok: true, quote: quoteOrder(lines, country, check.code), ...(check.error && { codeError: check.error }) };
});

/** A signed-in customer's code is theirs to check; a guest's answers are counted as probes (checkGuestDiscountCode). */
async function quoteCodeCheck(code: string, email: string | undefined) {
  const db = await getDb();
  const customerId = (await getSession())?.customerId;
  if (customerId) return checkDiscountCode(db, code, { customerId, email });
  return checkGuestDiscountCode(db, code, email, clientAddress(await headers()));
}

/**
 * Places the order — once per `idempotencyKey`, and only if the server's total matches the `quote` the form
 * showed — and returns the buyer's signed confirmation link, order number and, when this browser is the customer
 * (see captureEmail), the identity the browser identifies with. A retry with the same key answers with the order
 * the first attempt placed — unless the cart, country, code or shipping details changed since: then it fails with
 * `alreadyPlaced` (that order's number, total, link and what it bought, which the form takes out of the cart), and
 * the form starts a new attempt for what is left. A stale quote places nothing and fails with `quoteChanged` (the
 * new quote) for the form to show. Signed in or out since the page opened (`account`, the account it showed, is no
 * longer the session's): nothing is placed, and it fails with `accountChanged` for the page to show who it is now.
 */
export const placeOrder = validatedAction(placeOrderSchema, async ({ account, ...input }) => {
  const db = await getDb();
  const session = await getSession();
  // A retry of an attempt that placed its order (answer lost) is answered with that order, placed for the account
  // shown then, whoever is signed in now (an order placed signed in, only to that account: placed_for_another):
  // nothing new is placed either way.
  if (account !== accountShown(session?.customerId) && !(await orderIdOfAttempt(db, input.idempotencyKey)))
    return { ...failure(accountChangedMessage(await currentCustomer())), accountChanged: true as const };
  const tracked = await requestAllowsTracking(env().CONSENT_MODE);
  const anonymousId = await readRequestAnonymousId();
  const result = await storeOrder(db, input, session?.customerId, {
    acquisitionSource: await acquisitionSource('checkout'),
    client: clientAddress(await headers()),
    ...(tracked && { orderCompleted: { origin: trackingOrigin(), anonymousId } }),
  });
  if (result.status === 'quote_changed') {
    // Nothing was stored: hand back the new quote so the form shows it and the shopper confirms again.
    const message = quoteChangedMessage(result.change, input.quote, result.quote, input.country);
    return { ...failure(message), quoteChanged: { country: input.country, quote: result.quote } };
  }
  if (result.status === 'placed_for_another') {
    // The page is shown again for who is signed in now, and the form starts a new attempt (newAttempt).
    const message =
      'An order was already placed from this page while signed in to an account that is not signed in now, so no ' +
      'new order was placed. Sign in to that account to see it in your orders, or check your details, then place ' +
      'your order.';
    return { ...failure(message), accountChanged: true as const, newAttempt: true as const };
  }
  if (result.status === 'code_refused') {
    // Nothing was stored: the total without the code goes on display, the reason beside the code field.
    const message =
      'Your discount code was not applied, so no order was placed. Check the total, then place your order.';
    const quoteChanged = { country: input.country, quote: result.quote };
    return { ...failure(message, { discountCode: [result.error] }), quoteChanged, codeRefused: true as const };
  }
  const { orderId, customer, customerCreated, order } = result;
  const orderNumber = formatOrderNumber(order.order_number);
  // What was bought, for the browser to take out of its cart: only that (another tab may have added since).
  const bought = boughtLines(order);
  if (result.status === 'already_placed') {
    sendShopEventsAfterResponse(db);
    // That order's answer was lost, so its lines are still in the cart sent now: the browser takes them out as after
    // any order, or the next Place order would charge them again.
    return {
      ...failure(alreadyPlacedMessage(orderNumber, order.total_cents, input.lines, bought)),
      alreadyPlaced: { orderNumber, totalCents: order.total_cents, url: orderUrl(orderId), bought },
    };
  }
  // A guest is known from here on: identify with this browser's anonymous id (the cart is bought, so the `cart`
  // attribute is cleared) — unless the email belongs to an existing customer this browser is not (their order,
  // but not their device). The authoritative Order Completed is the outbox's: written with the order (unless tracking
  // was declined), server only, from the order as stored, so an ad-blocker, a closed tab or an unreachable pipeline
  // loses nothing. The identify goes ahead of it and both are sent at once: the person (their email) exists before
  // their order, and neither waits behind the other's send.
  let identity: Awaited<ReturnType<typeof identifyCustomer>> | null = null;
  try {
    const isCustomer = await browserIsCustomer(db, customer.id, {
      sessionCustomerId: session?.customerId,
      anonymousId,
      created: customerCreated,
    });
    const before = [orderCompletedMessageId(orderId)];
    if (isCustomer) identity = await identifyCustomer(customer, { cart: null, before });
  } finally {
    // What is still queued (Order Completed, when there was no identify): sent after the response, retried if need be.
    sendShopEventsAfterResponse(db);
  }
  return { ok: true, orderId, orderNumber, identity, url: orderUrl(orderId), bought };
});

/**
 * Server copy of Checkout Started; call it with the messageId the browser's track returned. The cart is
 * re-priced here from SKUs and gets its restore link; a known shopper's `cart` attribute follows (mirrorCartChange).
 */
export const recordCheckoutStarted = validatedAction(
  quoteInputSchema.extend(mirrorFields),
  async ({ lines, country, messageId, ageMs }) => {
    await mirrorCartChange(
      'Checkout Started',
      { ...(await serverCartProps(lines)), shipping_country: country },
      { messageId, ageMs, lines },
    );
    return { ok: true };
  },
);
