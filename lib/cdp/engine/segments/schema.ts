import { z } from 'zod';
import { durationSchema } from '@/lib/common/duration';

/**
 * Segment definitions live in code as data, validated with zod when loaded, so the console can show them and a
 * typo ("4hrs", a `since` pointing nowhere) fails at start-up instead of silently matching nobody.
 */

const path = z
  .string()
  .regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, 'a property path like "cart_value" or "items.0.sku"');

export const propertyConditionSchema = z.discriminatedUnion('op', [
  z.object({ path, op: z.literal('exists') }),
  z.object({ path, op: z.literal('eq'), value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }),
  z.object({ path, op: z.literal('gte'), value: z.number() }),
  z.object({ path, op: z.literal('lte'), value: z.number() }),
]);
export type PropertyCondition = z.infer<typeof propertyConditionSchema>;

const conditionId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lowercase id like "cart"');
const eventName = z.string().min(1);

export type PerformedCondition = {
  kind: 'performed';
  /** Names this condition so a later `notPerformed` can say `since: 'condition:<id>'`. */
  id?: string;
  event: string;
  /** Trailing window ending at `now`, inclusive: an event exactly `within` ago counts. Omitted: ever. */
  within?: string;
  where?: PropertyCondition[];
  count?: { gte: number };
};

export type NotPerformedCondition = {
  kind: 'notPerformed';
  event: string;
  /** Only events after the latest match of the referenced `performed` condition count against it. */
  since?: `condition:${string}`;
  within?: string;
  where?: PropertyCondition[];
};

export type HasAttributeCondition = { kind: 'hasAttribute'; trait: string };
export type AllCondition = { kind: 'all'; conditions: Condition[] };
export type AnyCondition = { kind: 'any'; conditions: Condition[] };

export type Condition =
  PerformedCondition | NotPerformedCondition | HasAttributeCondition | AllCondition | AnyCondition;

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('performed'),
      id: conditionId.optional(),
      event: eventName,
      within: durationSchema.optional(),
      where: z.array(propertyConditionSchema).optional(),
      count: z.object({ gte: z.number().int().min(1) }).optional(),
    }),
    z.object({
      kind: z.literal('notPerformed'),
      event: eventName,
      since: z.templateLiteral(['condition:', conditionId]).optional(),
      within: durationSchema.optional(),
      where: z.array(propertyConditionSchema).optional(),
    }),
    z.object({ kind: z.literal('hasAttribute'), trait: z.string().min(1) }),
    z.object({ kind: z.literal('all'), conditions: z.array(conditionSchema).min(1) }),
    z.object({ kind: z.literal('any'), conditions: z.array(conditionSchema).min(1) }),
  ]),
);

/** Each `since` must name a `performed` condition declared before it (evaluation runs in document order). */
export function referenceProblems(root: Condition): string[] {
  const declared = new Set<string>();
  const problems: string[] = [];
  const visit = (c: Condition) => {
    if (c.kind === 'all' || c.kind === 'any') return c.conditions.forEach(visit);
    if (c.kind === 'performed' && c.id) {
      if (declared.has(c.id)) problems.push(`condition id "${c.id}" is declared twice`);
      declared.add(c.id);
    }
    if (c.kind === 'notPerformed' && c.since && !declared.has(c.since.slice('condition:'.length))) {
      problems.push(`"${c.since}" must name a performed condition declared before it`);
    }
  };
  visit(root);
  return problems;
}

/** A condition whose `since` references resolve; journeys reuse it for their lookback. */
export const checkedConditionSchema = conditionSchema.superRefine((c, ctx) => {
  for (const message of referenceProblems(c)) ctx.addIssue({ code: 'custom', message });
});

export const segmentSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(1),
  description: z.string().optional(),
  condition: checkedConditionSchema,
});
export type SegmentDefinition = z.infer<typeof segmentSchema>;
