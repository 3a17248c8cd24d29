import { z } from 'zod';
import { durationAtMost, durationSchema } from '@/lib/common/duration';
import { readsEvent, templateIdSchema } from '../messages/catalog';

export const journeyGroups = ['cart-recovery', 'browse-recovery', 'quiz-follow-up', 'quiz-routine'] as const;
export const cartStrategies = ['event', 'lookback', 'hold'] as const;
export const cartStrategySchema = z.enum(cartStrategies);
export type CartStrategy = z.infer<typeof cartStrategySchema>;

const eventName = z.string().min(1);

export const triggerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('event'),
    event: eventName,
    /** Fire on the event that is the `nth` of its name within the trailing `within` (e.g. the 2nd view in 24 h). */
    occurrence: z.object({ nth: z.number().int().min(2), within: durationSchema }).optional(),
    /**
     * At most one run per value of the event's `per` property within `within` (e.g. one routine email per result a
     * day): an event starts none when one of its name with the same value started a run up to `within` before it.
     */
    once: z.object({ per: z.string().min(1), within: durationSchema }).optional(),
  }),
  z.object({ kind: z.literal('identify') }),
]);

/** On an identify: the latest `event` within `within` before it, with no `unless` after that event. */
export const lookbackSchema = z.object({ event: eventName, within: durationSchema, unless: eventName });

export const journeySchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: z.string().min(1),
    group: z.enum(journeyGroups),
    /** Which cart recovery strategy this is; exactly one is live (CART_RECOVERY_STRATEGY), the others shadow. */
    strategy: cartStrategySchema.optional(),
    trigger: triggerSchema,
    lookback: lookbackSchema.optional(),
    /** Fail with `no_email` when the person had no email when the trigger happened. */
    requiresEmailAtTrigger: z.boolean().default(false),
    /** Hold up to this long for an email before waiting; Customer.io-style upper limit 72 h. */
    holdForEmail: durationAtMost('72h').optional(),
    /** Delay before sending, counted from entry (or from when the email arrived, after a hold). */
    wait: durationSchema,
    /** Any of these after the run's anchor event (the cart, the view, the quiz) exits the run as converted. */
    exitOn: z.array(eventName).default([]),
    template: templateIdSchema,
  })
  .superRefine((j, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message: `${j.id}: ${message}` });
    if (j.trigger.kind === 'identify' && !j.lookback) problem('an identify trigger needs a lookback');
    if (j.trigger.kind === 'event' && j.lookback) problem('a lookback only applies to an identify trigger');
    if (j.trigger.kind === 'event' && j.trigger.occurrence && j.trigger.once)
      problem('a trigger counts occurrences or starts once per value, not both');
    if ((j.group === 'cart-recovery') !== Boolean(j.strategy))
      problem('cart-recovery journeys, and only they, name a strategy');
    if (j.requiresEmailAtTrigger && j.holdForEmail)
      problem('requiresEmailAtTrigger and holdForEmail contradict each other');
    // An identify trigger is a segment-triggered campaign in Customer.io: its messages have no `event.*`.
    if (j.trigger.kind === 'identify' && readsEvent(j.template))
      problem(`template ${j.template} reads event.*, which an identify-triggered journey does not have`);
  });

export type JourneyDefinition = z.infer<typeof journeySchema>;
export type JourneyGroup = JourneyDefinition['group'];
