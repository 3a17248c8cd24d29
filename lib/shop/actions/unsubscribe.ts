'use server';

import { z } from 'zod';
import { verifyUnsubscribeToken } from '@/lib/common/unsubscribe-token';
import { failure, validatedAction } from '@/lib/shop/server/action';
import { serviceTracker } from '@/lib/shop/server/tracking';

const unsubscribeSchema = z.object({ token: z.string({ error: 'This unsubscribe link is not valid.' }).max(1000) });

/**
 * The button on `/unsubscribe/{token}`: records the unsubscription as Customer.io does, by setting the person's
 * `unsubscribed` attribute, with an identify from the shop's server. It links no anonymous id (the link may be
 * opened on any device) and answers only once the pipeline has the call, so a confirmed unsubscription is kept.
 */
export const unsubscribe = validatedAction(unsubscribeSchema, async ({ token }) => {
  const verified = verifyUnsubscribeToken(token);
  if (!verified.ok) return failure('This unsubscribe link is not valid. Use the link from the email again.');
  const sent = await serviceTracker().identifyServer(verified.personId, { unsubscribed: true }, { anonymousId: null });
  if (!sent.sent || !(await sent.delivered))
    return failure('We could not record that just now. Please try again in a moment.');
  return { ok: true };
});
