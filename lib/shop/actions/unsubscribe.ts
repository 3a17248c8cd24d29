'use server';

import { z } from 'zod';
import { verifyUnsubscribeToken } from '@/lib/common/unsubscribe-token';
import { failure, validatedAction } from '@/lib/shop/server/action';
import { sendDurably, serviceTracker } from '@/lib/shop/server/shop-events';

const unsubscribeSchema = z.object({ token: z.string({ error: 'This unsubscribe link is not valid.' }).max(1000) });

/**
 * The button on `/unsubscribe/{token}`: records the unsubscription as Customer.io does, by setting the person's
 * `unsubscribed` attribute, with an identify from the shop's server. It links no anonymous id (the link may be
 * opened on any device) and answers only once the call is in the shop's outbox (sent at once, retried until the
 * pipeline has it), so a confirmed unsubscription is kept even while the pipeline is unreachable.
 */
export const unsubscribe = validatedAction(unsubscribeSchema, async ({ token }) => {
  const verified = verifyUnsubscribeToken(token);
  if (!verified.ok) return failure('This unsubscribe link is not valid. Use the link from the email again.');
  const call = await serviceTracker().prepareIdentify(verified.personId, { unsubscribed: true }, { anonymousId: null });
  if (!call || !(await sendDurably([call])))
    return failure('We could not record that just now. Please try again in a moment.');
  return { ok: true };
});
