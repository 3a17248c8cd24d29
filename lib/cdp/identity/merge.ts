import 'server-only';
import type { DB } from '@/lib/db';
import { normalizeEmailOrNull } from '@/lib/tracking/email';
import { readJson } from '@/lib/cdp/model/stored-event';
import { touchProfiles } from '@/lib/cdp/store/journey-due';
import { moveRuns } from '@/lib/cdp/store/journey-runs';
import type { Traits } from '@/lib/cdp/store/profiles';

export type MergeReason = 'email' | 'alias';

/**
 * Merges the secondary person into the primary: anonymous ids, events, journey runs and messages move over, traits
 * combine (the primary's win; as in Customer.io, one the primary has unset or empty takes the secondary's value),
 * the merge is recorded and the secondary is deleted.
 */
export async function mergePeople(
  db: DB,
  primaryId: string,
  secondaryId: string,
  at: Date,
  reason: MergeReason,
): Promise<void> {
  if (primaryId === secondaryId) return;
  const people = await db.selectFrom('cdp_people').selectAll().where('id', 'in', [primaryId, secondaryId]).execute();
  const primary = people.find((p) => p.id === primaryId);
  const secondary = people.find((p) => p.id === secondaryId);
  if (!primary || !secondary) return;

  const iso = at.toISOString();
  const traits = { ...readJson<Traits>(secondary.traits, {}), ...setTraits(readJson<Traits>(primary.traits, {})) };
  await db
    .updateTable('cdp_people')
    .set({
      traits: JSON.stringify(traits),
      email: normalizeEmailOrNull(traits.email),
      // Like the traits, the primary's wins; a trusted email never comes from an untrusted one.
      email_trusted: primary.email_trusted ?? secondary.email_trusted,
      email_trusted_at: primary.email_trusted ? primary.email_trusted_at : secondary.email_trusted_at,
      created_at: primary.created_at < secondary.created_at ? primary.created_at : secondary.created_at,
      updated_at: iso,
    })
    .where('id', '=', primaryId)
    .execute();
  // attached_at moves to the merge time: the events join the primary's timeline now. merged_from marks them
  // inherited (the first person they were moved from is kept): they never trigger the primary's journeys.
  await db
    .updateTable('cdp_events')
    .set((eb) => ({
      person_id: primaryId,
      attached_at: iso,
      merged_from: eb.fn.coalesce('merged_from', eb.val(secondaryId)),
    }))
    .where('person_id', '=', secondaryId)
    .execute();
  // Its journey runs and sent messages go with its events, in the same transaction: the survivor's console page and
  // the runs filtered by person show them at once, not only after the next journey pass (which would move them).
  await moveRuns(db, secondaryId, primaryId);
  // The primary's history changed under its runs in flight (an email, an order) with no event of its own.
  await touchProfiles(db, [primaryId]);
  await db.updateTable('cdp_identities').set({ person_id: primaryId }).where('person_id', '=', secondaryId).execute();
  await db
    .insertInto('cdp_merges')
    .values({ primary_id: primaryId, secondary_id: secondaryId, merged_at: iso, reason })
    .execute();
  await db.deleteFrom('cdp_people').where('id', '=', secondaryId).execute();
}

/** The traits that hold a value: null and "" count as unset, so a merge fills them from the secondary. */
const setTraits = (traits: Traits): Traits =>
  Object.fromEntries(Object.entries(traits).filter(([, v]) => v !== null && v !== ''));
