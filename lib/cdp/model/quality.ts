import {
  checkAgainstPlan,
  VIOLATION_KINDS as PLAN_VIOLATION_KINDS,
  type Violation as PlanViolation,
} from '@/lib/tracking/plan';
import type { IdentitySignatureFailure } from '@/lib/tracking/identity-signature';
import type { IngestMessage } from './message';

/** An identity-changing browser call the ingest held back (lib/cdp/ingest/verify-identity.ts). */
export type IdentityViolation = {
  kind: 'unverified_identity';
  reason: IdentitySignatureFailure;
  path: string;
  message: string;
};

/**
 * An identify whose userId and email belong to two people that Customer.io would not merge (lib/cdp/identity/
 * email-merge.ts): like Customer.io's "Failed Attribute Change", none of its traits were applied.
 */
export type IdentityConflictViolation = { kind: 'identity_conflict'; path: string; message: string };

/**
 * How an `identity_conflict` reads in a stored `violations` column (JSON text): the profile loader and the segment
 * SQL find refused traits by it, so both read the same identifies as applied.
 */
export const IDENTITY_CONFLICT_TEXT = '"kind":"identity_conflict"';

/**
 * A browser-key call naming a userId its anonymous id was never verified as (lib/cdp/identity/placement.ts): kept on
 * its anonymous profile, not on that person, since anyone holding the public key can name any customer's id.
 */
export type UnverifiedUserIdViolation = { kind: 'unverified_user_id'; path: string; message: string };

/**
 * What data quality reports: the tracking plan's violations, identity calls held back for want of a signature,
 * identifies refused because their email belongs to someone else, and browser calls whose userId was not vouched for.
 */
export const VIOLATION_KINDS = [
  ...PLAN_VIOLATION_KINDS,
  'unverified_identity',
  'identity_conflict',
  'unverified_user_id',
] as const;
export type Violation = PlanViolation | IdentityViolation | IdentityConflictViolation | UnverifiedUserIdViolation;
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
