import { checkAgainstPlanData, type PlanMessage, type Violation } from './plan-check';
import { logError, warnOnce } from './log';

export class TrackingPlanError extends Error {
  readonly violations: Violation[];
  constructor(label: string, violations: Violation[]) {
    super(`${label} breaks the tracking plan: ${violations.map((v) => v.message).join('; ')}`);
    this.name = 'TrackingPlanError';
    this.violations = violations;
  }
}

const label = (m: PlanMessage) => (m.type === 'track' ? `track "${m.event ?? ''}"` : `${m.type} call`);

/**
 * Checks a message before it is sent (zod-free: this runs in the browser's SDK chunk too; the pipeline checks
 * again with zod, and the two agree: tests/unit/tracking/plan-agreement.test.ts). A violation is a programming error: strict mode throws at the call
 * site; production drops the message and logs once per event and kind, so one bad component cannot flood logs.
 */
export function enforcePlan(
  message: PlanMessage,
  { strict, throwOnViolation = strict }: { strict: boolean; throwOnViolation?: boolean },
): boolean {
  const { violations } = checkAgainstPlanData(message);
  if (violations.length === 0) return true;
  const error = new TrackingPlanError(label(message), violations);
  if (throwOnViolation) throw error;
  if (strict) logError(`dropped: ${error.message}`);
  else warnOnce(`plan:${label(message)}:${violations.map((v) => v.kind).join(',')}`, `dropped: ${error.message}`);
  return false;
}
