import type { Profile } from '@/lib/cdp/model/event';
import { trustedTraitsAt } from '@/lib/cdp/engine/subject';
import { messageTemplates, readsEvent } from '../messages/catalog';
import type { JourneyDefinition } from './schema';
import type { JourneyRun, MessageData, RunReason } from './types';

export type MessageDataResult =
  | { ok: true; data: MessageData }
  | { ok: false; reason: Extract<RunReason, 'not_server_confirmed' | 'missing_data'>; detail: string };

/**
 * The Liquid variables of a run's message at send time, exactly what Customer.io would have in the campaign the
 * journey stands for (lib/cdp/engine/journeys/README.md, "Run it on Customer.io"):
 * - `customer`: the person's attributes at send time, from identifies the shop's server sent (a browser identify
 *   is public and never reaches a message), with `id` and `email` (the address sent to);
 * - `event`: the trigger's properties, for event-triggered journeys only (an identify-triggered journey is a
 *   segment-triggered campaign, which has no event), and only when the shop's server sent or mirrored it.
 * Nothing is looked up elsewhere: names, prices, links and the cart travel in the events and traits.
 */
export function buildMessageData(
  journey: JourneyDefinition,
  run: JourneyRun,
  profile: Profile,
  now: Date,
  to: string,
): MessageDataResult {
  const data: MessageData = { customer: { ...trustedTraitsAt(profile, now), id: profile.profileId, email: to } };
  if (journey.trigger.kind === 'event') {
    const trigger = profile.events.find((e) => e.seq === run.triggerSeq);
    if (trigger?.serverConfirmed) data.event = trigger.properties;
    else if (readsEvent(journey.template))
      return {
        ok: false,
        reason: 'not_server_confirmed',
        detail: `${trigger?.name ?? 'trigger'} #${run.triggerSeq} was sent by a browser only`,
      };
  }
  const checked = messageTemplates[journey.template].reads.safeParse(data);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    return { ok: false, reason: 'missing_data', detail: `${issue.path.join('.')}: ${issue.message}` };
  }
  return { ok: true, data };
}
