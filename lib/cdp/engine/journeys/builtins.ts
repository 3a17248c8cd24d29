import { z } from 'zod';
import { EVENT } from '@/lib/cdp/model/event';
import { journeySchema, type JourneyDefinition } from './schema';

const definitions = [
  {
    id: 'cart-recovery-event',
    name: 'Cart recovery: event-triggered',
    group: 'cart-recovery',
    strategy: 'event',
    // The common mistake: anonymous carts enter but have no email to send to, so they fail `no_email`.
    trigger: { kind: 'event', event: EVENT.addedToCart },
    requiresEmailAtTrigger: true,
    wait: '1h',
    exitOn: [EVENT.orderCompleted],
    template: 'cart-recovery',
  },
  {
    id: 'cart-recovery-lookback',
    name: 'Cart recovery: identify + 4 h lookback',
    group: 'cart-recovery',
    strategy: 'lookback',
    trigger: { kind: 'identify' },
    lookback: { event: EVENT.addedToCart, within: '4h', unless: EVENT.orderCompleted },
    wait: '1h',
    exitOn: [EVENT.orderCompleted],
    template: 'cart-recovery',
  },
  {
    id: 'cart-recovery-hold',
    name: 'Cart recovery: hold until email (72 h)',
    group: 'cart-recovery',
    strategy: 'hold',
    trigger: { kind: 'event', event: EVENT.addedToCart },
    holdForEmail: '72h',
    wait: '1h',
    exitOn: [EVENT.orderCompleted],
    template: 'cart-recovery',
  },
  {
    id: 'browse-recovery',
    name: 'Browse recovery',
    group: 'browse-recovery',
    // The 2nd Product Viewed within 24 h: the moment a person enters the browse-abandoners segment.
    trigger: { kind: 'event', event: EVENT.productViewed, occurrence: { nth: 2, within: '24h' } },
    wait: '1h',
    exitOn: [EVENT.addedToCart, EVENT.orderCompleted],
    template: 'browse-recovery',
  },
  {
    id: 'quiz-follow-up',
    name: 'Quiz follow-up',
    group: 'quiz-follow-up',
    trigger: { kind: 'event', event: EVENT.quizCompleted },
    wait: '24h',
    // Asking for the routine after the quiz ends it too: the routine email has told her everything this one would.
    exitOn: [EVENT.orderCompleted, EVENT.quizRoutineRequested],
    template: 'quiz-follow-up',
  },
  {
    id: 'quiz-routine',
    name: 'Quiz routine email',
    group: 'quiz-routine',
    // "Send me my routine" promised it now: sent on the next pass. Once per result a day, so a second click, a
    // reload or a stranger typing the address again does not mail the same routine twice.
    trigger: { kind: 'event', event: EVENT.quizRoutineRequested, once: { per: 'result', within: '24h' } },
    wait: '0m',
    exitOn: [],
    template: 'quiz-routine',
  },
] satisfies z.input<typeof journeySchema>[];

/** Validated at module load; also checks one journey per cart strategy, so exactly one can be live. */
export const builtInJourneys: readonly JourneyDefinition[] = z
  .array(journeySchema)
  .superRefine((list, ctx) => {
    if (new Set(list.map((j) => j.id)).size !== list.length)
      ctx.addIssue({ code: 'custom', message: 'journey ids must be unique' });
    const strategies = list.flatMap((j) => (j.strategy ? [j.strategy] : []));
    if (new Set(strategies).size !== strategies.length)
      ctx.addIssue({ code: 'custom', message: 'one journey per cart strategy' });
  })
  .parse(definitions);
