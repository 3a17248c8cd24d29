'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { failure, validatedAction } from '../action';
import { emailField, nameField, newPasswordField } from '../fields';
import { authenticate, registerCustomer } from './accounts';
import { endSession, startSession } from './session';

const signUpSchema = z.object({ name: nameField, email: emailField, password: newPasswordField });
const logInSchema = z.object({
  email: emailField,
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(200),
});

/** The client address for rate limiting: the first proxy hop when behind one, else a shared bucket. */
async function clientIp(): Promise<string> {
  const h = await headers();
  return h.get('x-forwarded-for')?.split(',')[0]?.trim() || h.get('x-real-ip') || 'local';
}

const signUpAction = validatedAction(signUpSchema, async (input) => {
  const result = await registerCustomer(await getDb(), input);
  if (!result.ok) return failure(result.error, result.field && { [result.field]: [result.error] }, { name: input.name, email: input.email });
  await startSession(result.customer.id);
  // tracking seam: Signed Up — the form identifies with customerId (method: 'password').
  return { ok: true, customerId: result.customer.id };
});

const logInAction = validatedAction(logInSchema, async (input) => {
  const result = await authenticate(await getDb(), { ...input, ip: await clientIp() });
  if (!result.ok) return failure(result.error, result.field && { [result.field]: [result.error] }, { email: input.email });
  await startSession(result.customer.id);
  // tracking seam: Logged In — the form identifies with customerId (method: 'password').
  return { ok: true, customerId: result.customer.id };
});

const logOutAction = validatedAction(z.object({}), async () => {
  await endSession();
  // tracking seam: Logged Out — the button tracks it, then reset()s the SDK and the anonymous id.
  return { ok: true };
});

export async function signUp(input: unknown) {
  return signUpAction(input);
}

export async function logIn(input: unknown) {
  return logInAction(input);
}

export async function logOut(input: unknown) {
  return logOutAction(input);
}
