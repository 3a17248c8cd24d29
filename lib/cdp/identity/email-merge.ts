import 'server-only';
import type { DB } from '@/lib/db';
import { isEmailAddress, normalizeEmailOrNull } from '@/lib/tracking/email';
import type { IdentityConflictViolation } from '@/lib/cdp/model/quality';
import { mergePeople } from './merge';

/** What an identify's email decides: its traits go to `personId`, or it is refused (the email is someone else's). */
export type EmailOutcome = { personId: string } | { conflict: IdentityConflictViolation };

/**
 * Rule 6, Customer.io's auto-merge: an identify whose userId and email match two different people fails (a
 * "Failed Attribute Change": none of its traits are applied), unless the person found by id has no email and the
 * person found by email has no id; then the two merge and the OLDER one remains. Two complete customers are never
 * merged, and an email never comes to belong to two people.
 * Every stored person has an id (the userId that created it), so "has no id" means: known only by an email
 * address, i.e. its id is an email address (a lead keyed on the address) and no one with another id was merged
 * into it (see lib/cdp/README.md).
 */
export async function settleEmail(
  db: DB,
  personId: string,
  traits: Record<string, unknown>,
  at: Date,
): Promise<EmailOutcome> {
  const email = normalizeEmailOrNull(traits.email);
  if (!email) return { personId };
  const people = await db
    .selectFrom('cdp_people')
    .select(['id', 'email', 'created_at'])
    .where((eb) => eb.or([eb('id', '=', personId), eb('email', '=', email)]))
    .execute();
  const byId = people.find((p) => p.id === personId);
  const byEmail = people.filter((p) => p.id !== personId);
  if (!byId || byId.email === email || byEmail.length === 0) return { personId };

  const [owner] = byEmail as [(typeof byEmail)[number]];
  if (byEmail.length === 1 && byId.email === null && !(await hasId(db, owner.id))) {
    // The older profile remains; on a tie the one found by email, which existed before this call.
    const [primary, secondary] = byId.created_at < owner.created_at ? [byId, owner] : [owner, byId];
    await mergePeople(db, primary.id, secondary.id, at, 'email');
    return { personId: primary.id };
  }
  return {
    conflict: {
      kind: 'identity_conflict',
      path: 'traits.email',
      message:
        `${email} belongs to person ${owner.id}: an identify whose userId and email match two people changes ` +
        `neither (Customer.io merges them only when the one found by id has no email and the one found by email ` +
        `has no id), so its traits were not applied`,
    },
  };
}

const MAX_MERGE_DEPTH = 20;

/** Whether the person, or anyone merged into it (directly or through earlier merges), has an id besides an email. */
async function hasId(db: DB, personId: string): Promise<boolean> {
  const seen = new Set([personId]);
  let frontier = [personId];
  for (let depth = 0; frontier.length && depth < MAX_MERGE_DEPTH; depth++) {
    if (frontier.some((id) => !isEmailAddress(id))) return true;
    const merged = await db
      .selectFrom('cdp_merges')
      .select('secondary_id')
      .where('primary_id', 'in', frontier)
      .execute();
    frontier = merged.map((m) => m.secondary_id).filter((id) => !seen.has(id));
    for (const id of frontier) seen.add(id);
  }
  return frontier.length > 0; // a chain too long to follow counts as having an id: never merge on a guess
}
