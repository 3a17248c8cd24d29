import type { Condition, PerformedCondition } from './schema';

type NamedPerformed = Omit<PerformedCondition, 'kind' | 'id'> & { id: string };

/**
 * "Did X (in a window) and no Y since the latest X": the shape of every abandonment rule. Used by the built-in
 * segments and by the lookback of the identify-triggered cart journey, so both mean the same thing.
 */
export function performedWithoutSince(performed: NamedPerformed, unless: string): Condition[] {
  return [
    { kind: 'performed', ...performed },
    { kind: 'notPerformed', event: unless, since: `condition:${performed.id}` },
  ];
}

export const hasEmail: Condition = { kind: 'hasAttribute', trait: 'email' };
