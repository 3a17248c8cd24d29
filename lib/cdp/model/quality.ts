import { checkAgainstPlan, type Violation } from '@/lib/tracking/plan';
import type { IngestMessage } from './message';

export type { Violation };
export type ViolationKind = Violation['kind'];

/** Checks a call against the tracking plan. Violations are stored with the event and reported, never rejected. */
export function checkEvent(message: IngestMessage): { canonicalName: string | null; violations: Violation[] } {
  return checkAgainstPlan({
    type: message.type,
    event: message.event ?? undefined,
    name: message.name ?? undefined,
    properties: message.properties,
  });
}
