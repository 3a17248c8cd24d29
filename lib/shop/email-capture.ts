'use server';

import { z } from 'zod';
import { getDb } from '@/lib/db';
import type { IdentifyTraits } from '@/lib/tracking/identity';
import { validatedAction, type ActionFailure } from './action';
import { findOrCreateCustomerByEmail } from './customers';
import { emailField, messageIdField } from './fields';
import { acquisitionSource, identifyCustomer, serverTracker } from './tracking-server';

const captureSchema = z.object({
  email: emailField,
  source: z.enum(['popup', 'quiz', 'checkout', 'footer'], { error: 'Unknown sign-up form.' }),
  messageId: messageIdField,
});

const capture = validatedAction(captureSchema, async ({ email, source, messageId }) => {
  const customer = await findOrCreateCustomerByEmail(await getDb(), email, { acquisitionSource: await acquisitionSource(source) });
  // The shopper is known now: identify (stitches this browser's anonymous history), then mirror the
  // browser's Email Captured with its messageId so the pipeline keeps one copy even if the browser's is lost.
  const traits = await identifyCustomer(customer);
  await serverTracker().mirror('Email Captured', { source }, { messageId, userId: customer.id });
  return { ok: true, customerId: customer.id, traits };
});

/**
 * Turns an email left in the popup, quiz, checkout or footer into the canonical customer id (the same id
 * a later order or signup with that email gets). Call it through `captureEmailTracked` in the browser.
 */
export async function captureEmail(input: {
  email: string;
  source: 'popup' | 'quiz' | 'checkout' | 'footer';
  messageId: string;
}): Promise<{ ok: true; customerId: string; traits: IdentifyTraits } | ActionFailure> {
  return capture(input);
}
