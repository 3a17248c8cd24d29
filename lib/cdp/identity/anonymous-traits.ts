import 'server-only';
import type { DB } from '@/lib/db';
import { addMs } from '@/lib/common/duration';
import { normalizeEmailOrNull } from '@/lib/tracking/email';
import type { IdentityConflictViolation, Violation } from '@/lib/cdp/model/quality';
import { readJson } from '@/lib/cdp/model/stored-event';
import { STITCH_LOOKBACK_MS } from '@/lib/cdp/model/windows';
import { updateTraits, type Traits } from '@/lib/cdp/store/profiles';
import { holderBlockingCarry } from './email-merge';

/**
 * Traits an identify without a userId set on an anonymous profile (kept on its identify events until then) join
 * the person when that anonymous id is identified, in the order they were sent, before the identify's own traits:
 * later traits win, as on Customer.io. Only identifies not yet on a person count (the ones about to be stitched, in
 * the same 30-day window), so a later identify of the same device never replays old traits over newer ones.
 * Their `email` obeys the identify's email rule (README, identity rule 6 and "Anonymous traits"): when the identify
 * sets an email of its own (`ownEmail`), that one wins and none is carried; otherwise an address another person
 * holds is not carried (holderBlockingCarry: the anonymous identify gets an `identity_conflict` violation), while
 * the other traits of that identify still join.
 */
export async function carryAnonymousTraits(
  db: DB,
  anonymousId: string,
  personId: string,
  at: Date,
  { ownEmail }: { ownEmail: boolean },
): Promise<void> {
  const identifies = await db
    .selectFrom('cdp_events')
    .select(['seq', 'traits', 'trusted', 'violations'])
    .where('anonymous_id', '=', anonymousId)
    .where('type', '=', 'identify')
    .where('user_id', 'is', null)
    .where('person_id', 'is', null)
    .where('received_at', '>=', addMs(at, -STITCH_LOOKBACK_MS).toISOString())
    .orderBy('seq')
    .execute();
  for (const row of identifies) {
    const traits = readJson<Traits>(row.traits, {});
    // A browser's anonymous identify may name any email: only one the server sent is an address messages may use.
    const trusted = row.trusted === 1;
    const email = normalizeEmailOrNull(traits.email);
    if (ownEmail) delete traits.email;
    else if (email) {
      const holder = await holderBlockingCarry(db, personId, email, { trusted, at });
      if (holder) {
        delete traits.email;
        await recordCarryConflict(db, row, email, holder, personId);
      }
    }
    if (Object.keys(traits).length) await updateTraits(db, personId, traits, at, { emailTrusted: trusted });
  }
}

/** The anonymous identify whose email stayed with someone else says so (timeline, data-quality view), once. */
async function recordCarryConflict(
  db: DB,
  row: { seq: number; violations: string },
  email: string,
  holder: string,
  personId: string,
) {
  const violations = readJson<Violation[]>(row.violations, []);
  if (violations.some((v) => v.kind === 'identity_conflict' && v.path === 'traits.email')) return;
  const conflict: IdentityConflictViolation = {
    kind: 'identity_conflict',
    path: 'traits.email',
    message:
      `${email} belongs to person ${holder}: an email an anonymous identify set joins the person its anonymous id ` +
      `is identified as (${personId}) only when no one else holds it, so it was not carried (its other traits were)`,
  };
  await db
    .updateTable('cdp_events')
    .set({ violations: JSON.stringify([...violations, conflict]) })
    .where('seq', '=', row.seq)
    .execute();
}
