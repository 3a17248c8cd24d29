'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { tryAgainIn } from '@/lib/common/attempts';
import { clientAddress } from '@/lib/common/client-address';
import { readRequestAnonymousId } from '@/lib/tracking/server';
import { failure, validatedAction } from '@/lib/shop/server/action';
import { getSession } from '@/lib/shop/server/auth/session';
import { probeAllowance, recordProbe } from '@/lib/shop/server/auth/rate-limit';
import { browserIsCustomer } from '@/lib/shop/server/customer-browsers';
import { resolveCustomerByEmail } from '@/lib/shop/server/customers';
import { cartSnapshotField } from '@/lib/shop/domain/checkout-schema';
import { emailField, messageIdField } from '@/lib/shop/domain/fields';
import { getQuiz } from '@/lib/shop/domain/catalog';
import { quizResultSchema } from '@/lib/shop/domain/quiz';
import { sendRoutineRequest } from '@/lib/shop/server/routine-request';
import { sendDurably } from '@/lib/shop/server/shop-events';
import { acquisitionSource, identifyCustomer, serverTracker } from '@/lib/shop/server/tracking';

const captureSchema = z.object({
  email: emailField,
  source: z.enum(['popup', 'quiz', 'checkout', 'footer'], { error: 'Unknown sign-up form.' }),
  messageId: messageIdField,
  /** The browser's cart, for the `cart` person attribute (see cartSnapshotField). */
  cart: cartSnapshotField,
  /** The address this form left a moment ago and this one corrects (see identifyCustomer); ignored if unreadable. */
  replaces: emailField.optional().catch(undefined),
});
export type EmailCaptureSource = z.output<typeof captureSchema>['source'];

/**
 * Turns an email left in the popup, quiz, checkout or footer into the canonical customer id (the same id a later
 * order or signup with that email gets). Call it through `captureEmailTracked` in the browser.
 *
 * The answer says nothing about anyone but the shopper: `identity` (id and email, for the browser's identify) only
 * when this browser is that customer — the address is new (this capture created the customer), the browser is one
 * the shop identified as them before, or they are signed in. An existing customer's address typed by any other
 * browser is recorded as that browser's anonymous Email Captured, and nobody is identified: no stranger's history
 * joins the customer's timeline. Such answers are counted per client (rate-limit.ts, probes).
 */
export const captureEmail = validatedAction(captureSchema, async (input) => {
  const captured = await capture(input);
  return captured.ok ? { ok: true, identity: captured.identity } : captured;
});

async function capture({ email, source, messageId, cart, replaces }: z.output<typeof captureSchema>) {
  const db = await getDb();
  const ip = clientAddress(await headers());
  const allowance = await probeAllowance(db, ip);
  if (!allowance.allowed) return failure(`Too many attempts. ${tryAgainIn(allowance.retryInMinutes)}`);
  const { customer, created } = await resolveCustomerByEmail(db, email, {
    acquisitionSource: await acquisitionSource(source),
  });
  const session = await getSession();
  const isCustomer = await browserIsCustomer(db, customer.id, {
    sessionCustomerId: session?.customerId,
    anonymousId: await readRequestAnonymousId(),
    created,
  });
  if (!isCustomer && !session) await recordProbe(db, ip);
  // Identify first (stitches this browser's anonymous history), then mirror the browser's Email Captured with its
  // messageId so the pipeline keeps one copy even if the browser's is lost. A signed-in shopper who leaves some
  // other address stays who they are; a stranger's capture stays on their own anonymous id.
  const identity = isCustomer ? await identifyCustomer(customer, { cart, replaces }) : null;
  await sendDurably([
    await serverTracker().prepareTrack(
      'Email Captured',
      { source },
      { messageId, userId: session?.customerId ?? identity?.customerId },
    ),
  ]);
  return { ok: true as const, identity, customer };
}

const routineSchema = captureSchema.omit({ source: true, replaces: true }).extend({ result: quizResultSchema });

/**
 * "Send me my routine" on a quiz result: the quiz form's email capture (as captureEmail, source `quiz`, same answer),
 * then the request for the routine email, recorded for the customer the address belongs to (routine-request.ts).
 * Only the result's id comes from the browser; its name and products are the catalogue's. `routine` is what the
 * shopper is told: the result's name, once the request is in the shop's outbox.
 */
export const requestRoutine = validatedAction(routineSchema, async ({ result, ...input }) => {
  const captured = await capture({ ...input, source: 'quiz' });
  if (!captured.ok) return captured;
  if (!(await sendRoutineRequest(captured.customer, result)))
    return failure('We could not send your routine just now. Please try again in a moment.');
  return { ok: true, identity: captured.identity, routine: getQuiz().results[result].title };
});
