import 'server-only';
import crypto from 'node:crypto';
import type { SkinType } from '@/lib/shop/domain/catalog';
import { routineRequestedProps } from '@/lib/shop/domain/quiz';
import type { Customer } from './customers';
import { sendDurably, serviceTracker } from './shop-events';
import { trackingOrigin } from './tracking';

/**
 * "Send me my routine": records Quiz Routine Requested for the customer the address belongs to, from which the
 * pipeline's `quiz-routine` journey (or the Customer.io campaign README describes) sends the routine email.
 *
 * Sent through the service tracker, like an unsubscription: it is the shopper's own request for an email, not
 * tracking, so it goes whatever she chose about tracking. With it, an identify setting the `email` the message goes
 * to (a declined shopper's capture identified nobody). Both carry no anonymous id: the address may be a customer
 * this browser is not (customer-browsers.ts), and nothing of this browser's history may join them. True once both
 * are in the shop's outbox (then the pipeline gets them, however late).
 */
export async function sendRoutineRequest(customer: Customer, result: SkinType): Promise<boolean> {
  const tracker = serviceTracker();
  const ids = { userId: customer.id, anonymousId: null };
  const calls = [
    await tracker.prepareIdentify(customer.id, { email: customer.email }, { anonymousId: null }),
    await tracker.prepareTrack('Quiz Routine Requested', routineRequestedProps(result, trackingOrigin()), {
      ...ids,
      messageId: crypto.randomUUID(),
    }),
  ];
  if (calls.some((c) => c === null)) return false;
  return sendDurably(calls);
}
