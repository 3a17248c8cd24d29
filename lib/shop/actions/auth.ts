'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { tryAgainIn } from '@/lib/common/attempts';
import { clientAddress } from '@/lib/common/client-address';
import { secureCookies } from '@/lib/common/cookies';
import { env } from '@/lib/env';
import { rotateAnonymousIdCookie } from '@/lib/tracking/server';
import { failure, validatedAction } from '@/lib/shop/server/action';
import { cartSnapshotField } from '@/lib/shop/domain/checkout-schema';
import { emailField, nameField, newPasswordField } from '@/lib/shop/domain/fields';
import { MAX_PASSWORD_LENGTH } from '@/lib/shop/domain/field-limits';
import {
  ACCOUNT_EXISTS_ERROR,
  authenticate,
  registerCustomer,
  type AccountResult,
} from '@/lib/shop/server/auth/accounts';
import { readDeviceToken, rememberDevice } from '@/lib/shop/server/auth/device';
import { probeAllowance, recordProbe } from '@/lib/shop/server/auth/rate-limit';
import type { CartLineInput } from '@/lib/shop/domain/pricing';
import { acquisitionSource, identifyCustomer } from '@/lib/shop/server/tracking';
import { endSession, getSession, startSession } from '@/lib/shop/server/auth/session';

// `cart`: the browser's cart (JSON), so the identify sets the `cart` person attribute a recovery email reads.
const signUpSchema = z.object({
  name: nameField,
  email: emailField,
  password: newPasswordField,
  cart: cartSnapshotField,
});
const logInSchema = z.object({
  email: emailField,
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.'),
  cart: cartSnapshotField,
});

// Signup and login identify on the server (with this browser's anonymous id) and hand the customer id and
// email back: the form identifies the browser SDK too (with the signature the server set), then tracks.
/**
 * A failed attempt keeps what was typed (never the password); a good one starts the session and identifies.
 * `switched`: another customer was signed in on this browser (a tab opened before they signed in, no logout between).
 * That is a logout and a login: the cart in the browser is theirs, so it is not handed to this customer (their `cart`
 * attribute stays as it was, as with a login from an empty cart) and the form empties it, as the logout button does;
 * the one signed in before keeps it as their `cart` attribute.
 */
async function signIn(result: AccountResult, values: Record<string, string>, cart: CartLineInput[] | undefined) {
  if (!result.ok) return failure(result.error, result.field && { [result.field]: [result.error] }, values);
  const previous = (await getSession())?.customerId;
  const switched = previous !== undefined && previous !== result.customer.id;
  await startSession(result.customer.id);
  await rememberDevice(result.customer.id);
  const identity = await identifyCustomer(result.customer, {
    cart: switched ? undefined : cart,
    previousKeepsCart: switched,
  });
  return { ok: true as const, switched, ...identity };
}

export const signUp = validatedAction(signUpSchema, async (input) => {
  const db = await getDb();
  const ip = clientAddress(await headers());
  const values = { name: input.name, email: input.email };
  // "An account exists" is the one thing signup must say; each time it does is counted, per client.
  const allowance = await probeAllowance(db, ip);
  if (!allowance.allowed) return failure(`Too many attempts. ${tryAgainIn(allowance.retryInMinutes)}`, {}, values);
  const result = await registerCustomer(db, { ...input, acquisitionSource: await acquisitionSource('signup') });
  if (!result.ok && result.error === ACCOUNT_EXISTS_ERROR) await recordProbe(db, ip);
  return signIn(result, values, input.cart);
});

export const logIn = validatedAction(logInSchema, async (input) => {
  const result = await authenticate(await getDb(), {
    ...input,
    // Longer than any account's password, so wrong: checked as the empty password, which no account has either, so
    // the answer, its time and the failed attempt counted are a wrong password's (the schema's max answered "Enter
    // your password."), and what was sent (up to 1 MB) is not hashed.
    password: input.password.length > MAX_PASSWORD_LENGTH ? '' : input.password,
    ip: clientAddress(await headers()),
    deviceToken: await readDeviceToken(),
  });
  return signIn(result, { email: input.email }, input.cart);
});

export const logOut = validatedAction(z.object({}), async () => {
  await endSession();
  // A fresh anonymous id, so the next shopper on this device is not merged into this one; the button
  // then reset()s the browser SDK with it (null: tracking not allowed, no id).
  const anonymousId = await rotateAnonymousIdCookie({
    consentMode: env().CONSENT_MODE,
    secure: secureCookies({ headers: await headers() }),
  });
  return { ok: true, anonymousId };
});
