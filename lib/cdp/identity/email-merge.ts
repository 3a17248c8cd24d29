import 'server-only';
import type { DB } from '@/lib/db';
import { isEmailAddress, normalizeEmailOrNull } from '@/lib/tracking/email';
import type { IdentityConflictViolation } from '@/lib/cdp/model/quality';
import { readJson } from '@/lib/cdp/model/stored-event';
import { mergePeople } from './merge';

/** What an identify's email decides: its traits go to `personId`, or it is refused (the email is someone else's). */
export type EmailOutcome = { personId: string } | { conflict: IdentityConflictViolation };

/** A person whose `email` column holds an address, and whether a trusted call set it (`email_trusted`). */
type Holder = { id: string; email: string | null; email_trusted: string | null; traits: string; created_at: string };

/**
 * Whether the holder's email is only a claim: set by a browser's call (an anonymous identify's carried traits),
 * never vouched for by the shop's server. Such a claim never outranks an address the server vouched for.
 */
const claimsOnly = (holder: Holder, email: string) => holder.email_trusted !== email;

/**
 * Rule 6, Customer.io's auto-merge: an identify whose userId and email match two different people fails (a
 * "Failed Attribute Change": none of its traits are applied), unless the person found by id has no email and the
 * person found by email has no id; then the two merge and the OLDER one remains. Two complete customers are never
 * merged, and an email never comes to belong to two people.
 * Every stored person has an id (the userId that created it), so "has no id" means: known only by an email
 * address, i.e. its id is an email address (a lead keyed on the address) and no one with another id was merged
 * into it (see lib/cdp/README.md).
 * Every identify that gets here is verified (server key, or a signature that covered its email), so its email is
 * one the shop's server vouched for: a person holding that address only as a browser's claim is no owner of it.
 * The claim is withdrawn (`withdrawEmailClaims`) and neither refuses the call nor merges anyone.
 */
export async function settleEmail(
  db: DB,
  personId: string,
  traits: Record<string, unknown>,
  at: Date,
): Promise<EmailOutcome> {
  const email = normalizeEmailOrNull(traits.email);
  if (!email) return { personId };
  const people = await holdersOf(db, email, personId);
  const byId = people.find((p) => p.id === personId);
  const byEmail = people.filter((p) => p.id !== personId && p.email === email);
  const claims = byEmail.filter((p) => claimsOnly(p, email));
  const owners = byEmail.filter((p) => !claimsOnly(p, email));
  if (!byId || byId.email === email || owners.length === 0) {
    await withdrawEmailClaims(db, claims, at);
    return { personId };
  }

  const [owner] = owners as [Holder];
  if (owners.length === 1 && byId.email === null && !(await hasId(db, owner.id))) {
    await withdrawEmailClaims(db, claims, at);
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

/**
 * The email rule for traits an anonymous identify set, about to be carried to `personId` (anonymous-traits.ts):
 * an address another person holds is not carried, so an email never comes to belong to two people and a browser
 * never takes someone's address, nor merges anyone, by claiming it on an anonymous profile. One exception, as in
 * settleEmail: when the anonymous identify was the shop's server's (`trusted`) and the others hold the address only
 * as a browser's claim, their claims are withdrawn and it is carried. Returns who keeps the address when it is not
 * carried, else null.
 */
export async function holderBlockingCarry(
  db: DB,
  personId: string,
  email: string,
  { trusted, at }: { trusted: boolean; at: Date },
): Promise<string | null> {
  const others = (await holdersOf(db, email, personId)).filter((p) => p.id !== personId);
  if (others.length === 0) return null;
  // The one the server vouched for, else the first claimant: whom the address stays with.
  const owner = others.find((p) => !claimsOnly(p, email));
  if (owner || !trusted) return (owner ?? others[0]!).id;
  await withdrawEmailClaims(db, others, at);
  return null;
}

/** The person `personId` and the people whose email column holds `email`, oldest first. */
async function holdersOf(db: DB, email: string, personId: string): Promise<Holder[]> {
  return db
    .selectFrom('cdp_people')
    .select(['id', 'email', 'email_trusted', 'traits', 'created_at'])
    .where((eb) => eb.or([eb('id', '=', personId), eb('email', '=', email)]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Takes back addresses people hold only as a browser's claim, for an address the shop's server vouched for to
 * someone else: each claimant's email goes back to the one a trusted call last set for them (`email_trusted`),
 * when no one else holds that one, else to none. `email_trusted` itself is untouched, and so are the identify
 * events that made the claim (they stay on the timeline, as sent).
 */
async function withdrawEmailClaims(db: DB, claimants: readonly Holder[], at: Date): Promise<void> {
  const iso = at.toISOString();
  for (const claimant of claimants) {
    const own = claimant.email_trusted;
    const ownTaken =
      own !== null &&
      !!(await db
        .selectFrom('cdp_people')
        .select('id')
        .where('email', '=', own)
        .where('id', '!=', claimant.id)
        .executeTakeFirst());
    const restored = own !== null && !ownTaken ? own : null;
    const traits = readJson<Record<string, unknown>>(claimant.traits, {});
    delete traits.email;
    await db
      .updateTable('cdp_people')
      .set({
        traits: JSON.stringify(restored ? { ...traits, email: restored } : traits),
        email: restored,
        updated_at: iso,
      })
      .where('id', '=', claimant.id)
      .execute();
  }
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
