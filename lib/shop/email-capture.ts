'use server';

import { z } from 'zod';
import { getDb } from '@/lib/db';
import { validatedAction, type ActionFailure } from './action';
import { findOrCreateCustomerByEmail } from './customers';
import { emailField } from './fields';

const captureSchema = z.object({
  email: emailField,
  source: z.enum(['popup', 'quiz', 'checkout', 'footer'], { error: 'Unknown sign-up form.' }),
});

const capture = validatedAction(captureSchema, async ({ email, source }) => {
  const customer = await findOrCreateCustomerByEmail(await getDb(), email, { acquisitionSource: source });
  // tracking seam: Email Captured — the caller identifies with customerId, then tracks with `source`.
  return { ok: true, customerId: customer.id };
});

/**
 * Turns an email left in the popup, quiz, checkout or footer into the canonical customer id (the same id
 * a later order or signup with that email gets).
 */
export async function captureEmail(input: {
  email: string;
  source: 'popup' | 'quiz' | 'checkout' | 'footer';
}): Promise<{ ok: true; customerId: string } | ActionFailure> {
  return capture(input);
}
