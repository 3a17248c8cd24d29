'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { secureCookies } from '@/lib/common/cookies';
import { env } from '@/lib/env';
import { rotateAnonymousIdCookie } from '@/lib/tracking/server';
import { failure, validatedAction } from '@/lib/shop/server/action';
import { cartSnapshotField } from '@/lib/shop/domain/checkout-schema';
import { emailField, nameField, newPasswordField } from '@/lib/shop/domain/fields';
import type { CartLineInput } from '@/lib/shop/domain/pricing';
import { authenticate, registerCustomer, type AccountResult } from '@/lib/shop/server/auth/accounts';
import { acquisitionSource, identifyCustomer } from '@/lib/shop/server/tracking';
import { endSession, startSession } from '@/lib/shop/server/auth/session';

// `cart`: the browser's cart (JSON), so the identify sets the `cart` person attribute a recovery email reads.
const signUpSchema = z.object({
  name: nameField,
  email: emailField,
  password: newPasswordField,
  cart: cartSnapshotField,
});
const logInSchema = z.object({
  email: emailField,
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(200),
  cart: cartSnapshotField,
});

/** The client address for rate limiting: the first proxy hop when behind one, else a shared bucket. */
async function clientIp(): Promise<string> {
  const h = await headers();
  return h.get('x-forwarded-for')?.split(',')[0]?.trim() || h.get('x-real-ip') || 'local';
}

// Signup and login identify on the server (with this browser's anonymous id) and hand the customer id and
// traits back: the form identifies the browser SDK too, then tracks Signed Up / Logged In.
/** A failed attempt keeps what was typed (never the password); a good one starts the session and identifies. */
async function signIn(result: AccountResult, values: Record<string, string>, cart: CartLineInput[] | undefined) {
  if (!result.ok) return failure(result.error, result.field && { [result.field]: [result.error] }, values);
  await startSession(result.customer.id);
  const traits = await identifyCustomer(result.customer, { cart });
  return { ok: true as const, customerId: result.customer.id, traits };
}

export const signUp = validatedAction(signUpSchema, async (input) => {
  const result = await registerCustomer(await getDb(), {
    ...input,
    acquisitionSource: await acquisitionSource('signup'),
  });
  return signIn(result, { name: input.name, email: input.email }, input.cart);
});

export const logIn = validatedAction(logInSchema, async (input) => {
  const result = await authenticate(await getDb(), { ...input, ip: await clientIp() });
  return signIn(result, { email: input.email }, input.cart);
});

export const logOut = validatedAction(z.object({}), async () => {
  await endSession();
  // A fresh anonymous id, so the next shopper on this device is not merged into this one; the button
  // then reset()s the browser SDK, which adopts it.
  await rotateAnonymousIdCookie({
    consentMode: env().CONSENT_MODE,
    secure: secureCookies({ headers: await headers() }),
  });
  return { ok: true };
});
