'use server';

import { z } from 'zod';
import { getDb } from '@/lib/db';
import { validatedAction } from '@/lib/shop/server/action';
import { getSession } from '@/lib/shop/server/auth/session';
import { findOrCreateCustomerByEmail } from '@/lib/shop/server/customers';
import { cartSnapshotField } from '@/lib/shop/domain/checkout-schema';
import { emailField, messageIdField } from '@/lib/shop/domain/fields';
import { acquisitionSource, identifyCustomer, serverTracker } from '@/lib/shop/server/tracking';

const captureSchema = z.object({
  email: emailField,
  source: z.enum(['popup', 'quiz', 'checkout', 'footer'], { error: 'Unknown sign-up form.' }),
  messageId: messageIdField,
  /** The browser's cart, for the `cart` person attribute (see cartSnapshotField). */
  cart: cartSnapshotField,
});
export type EmailCaptureSource = z.output<typeof captureSchema>['source'];

/**
 * Turns an email left in the popup, quiz, checkout or footer into the canonical customer id (the same id
 * a later order or signup with that email gets). Call it through `captureEmailTracked` in the browser.
 */
export const captureEmail = validatedAction(captureSchema, async ({ email, source, messageId, cart }) => {
  const customer = await findOrCreateCustomerByEmail(await getDb(), email, {
    acquisitionSource: await acquisitionSource(source),
  });
  // The shopper is known now: identify (stitches this browser's anonymous history), then mirror the
  // browser's Email Captured with its messageId so the pipeline keeps one copy even if the browser's is lost.
  // A signed-in shopper who leaves some other address stays who they are: no identify as someone else.
  const session = await getSession();
  const becameKnown = !session || session.customerId === customer.id;
  const identity = becameKnown ? { customerId: customer.id, traits: await identifyCustomer(customer, { cart }) } : null;
  await serverTracker().mirror('Email Captured', { source }, { messageId, userId: session?.customerId ?? customer.id });
  return { ok: true, customerId: customer.id, identity };
});
