import { z } from 'zod';
import { EVENT } from '@/lib/cdp/model/event';
import { hasEmail, performedWithoutSince } from './builders';
import { segmentSchema, type SegmentDefinition } from './schema';

const definitions = [
  {
    id: 'cart-abandoners',
    name: 'Cart abandoners',
    description: 'Added to Cart in the last 4 h, no Order Completed since that add, and an email to write to.',
    condition: {
      kind: 'all',
      conditions: [
        ...performedWithoutSince({ id: 'cart', event: EVENT.addedToCart, within: '4h' }, EVENT.orderCompleted),
        hasEmail,
      ],
    },
  },
  {
    id: 'browse-abandoners',
    name: 'Browse abandoners',
    description: 'At least 2 Product Viewed in 24 h, no Added to Cart since the latest view, and an email.',
    condition: {
      kind: 'all',
      conditions: [
        ...performedWithoutSince(
          { id: 'views', event: EVENT.productViewed, within: '24h', count: { gte: 2 } },
          EVENT.addedToCart,
        ),
        hasEmail,
      ],
    },
  },
  {
    id: 'quiz-no-purchase',
    name: "Quiz takers who haven't bought",
    // Read as "no Order Completed within 24 h of the quiz (so far)": members during the 24 h the quiz
    // follow-up journey waits, leaving when they buy or when the quiz is more than 24 h old.
    description: 'Quiz Completed in the last 24 h and no Order Completed since.',
    condition: {
      kind: 'all',
      conditions: performedWithoutSince(
        { id: 'quiz', event: EVENT.quizCompleted, within: '24h' },
        EVENT.orderCompleted,
      ),
    },
  },
] satisfies z.input<typeof segmentSchema>[];

/** Parsed at module load: a broken built-in fails the first import, not a customer's membership. */
export const builtInSegments: readonly SegmentDefinition[] = z
  .array(segmentSchema)
  .refine((list) => new Set(list.map((s) => s.id)).size === list.length, 'segment ids must be unique')
  .parse(definitions);

export function findSegment(id: string): SegmentDefinition | undefined {
  return builtInSegments.find((s) => s.id === id);
}
