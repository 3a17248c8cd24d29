import 'server-only';
import type { DB } from '@/lib/db';
import type { IngestMessage } from '@/lib/cdp/model/message';
import { readJson, type StoredEvent } from '@/lib/cdp/model/stored-event';
import type { IdentityConflictViolation, Violation } from '@/lib/cdp/model/quality';
import { carryAnonymousTraits } from './anonymous-traits';
import { settleEmail } from './email-merge';
import { linkAnonymousId } from './link';
import { mergePeople } from './merge';
import { attachEvent, detachEvent, ensurePerson, resolvePersonId, updateTraits } from '@/lib/cdp/store/profiles';
import { LATE_EVENT_WINDOW_MS } from '@/lib/cdp/model/windows';

/**
 * Places a newly stored event in the identity graph (rules in lib/cdp/README.md):
 * calls with a userId go to that person; identify and alias link ids, stitch and merge;
 * anonymous calls join a person only within 5 minutes of an identify of their anonymous id.
 * Only verified calls get here: the ingest holds back identity calls that failed verification (verify-identity.ts).
 * Returns the person the event joined (null if none); the caller refreshes their first/last seen once per batch.
 */
export async function applyIdentity(
  db: DB,
  event: StoredEvent,
  message: IngestMessage,
  at: Date,
): Promise<string | null> {
  if (!message.userId) return attachLateAnonymousEvent(db, event, at);
  let personId = await resolvePersonId(db, message.userId);
  await ensurePerson(db, personId, at);

  if (message.type === 'identify') {
    const outcome = await settleEmail(db, personId, message.traits, at);
    if ('conflict' in outcome) await recordConflict(db, event, outcome.conflict);
    else {
      personId = outcome.personId;
      // Traits its anonymous identifies set come first, so this identify's own win; an email among them joins only
      // when no one else holds it (README, "Anonymous traits").
      if (message.anonymousId)
        await carryAnonymousTraits(db, message.anonymousId, personId, at, {
          ownEmail: Object.hasOwn(message.traits, 'email'),
        });
      // Verified (server key, or a signature that covered the email): the email is one messages may go to.
      await updateTraits(db, personId, message.traits, at, { emailTrusted: true });
    }
  }
  await attachEvent(db, event.seq, personId, false, at);
  if (message.type === 'identify' && message.anonymousId) await linkAnonymousId(db, message.anonymousId, personId, at);
  if (message.type === 'alias' && message.previousId) await applyAlias(db, personId, message.previousId, at);
  return personId;
}

/**
 * A server copy replaced a browser copy stored before it (store/events.ts). When the server names other ids, or
 * the browser copy was an identity call held back or kept off the person its userId names, the event is placed again as the server's copy says; otherwise
 * it stays where it is (e.g. stitched since). Returns the people whose first/last seen may have changed.
 */
export async function reapplyIdentity(
  db: DB,
  before: StoredEvent,
  confirmed: StoredEvent,
  message: IngestMessage,
  at: Date,
): Promise<string[]> {
  const moved = before.user_id !== confirmed.user_id || before.anonymous_id !== confirmed.anonymous_id;
  // A browser copy whose userId nothing vouched for was kept anonymous (placement.ts): the server's copy vouches.
  const keptAnonymous = before.user_id !== null && before.person_id === null;
  if (!moved && before.identity_check !== 'unverified' && !keptAnonymous) return [];
  await detachEvent(db, confirmed.seq);
  const personId = await applyIdentity(db, { ...confirmed, person_id: null }, message, at);
  return [before.person_id, personId].filter((id): id is string => id !== null);
}

/**
 * A refused identify stays on its userId's timeline (the call happened; its anonymous id is still linked) with an
 * `identity_conflict` violation, where the ops console and the data-quality view show it.
 */
async function recordConflict(db: DB, event: StoredEvent, conflict: IdentityConflictViolation) {
  const violations = [...readJson<Violation[]>(event.violations, []), conflict];
  await db
    .updateTable('cdp_events')
    .set({ violations: JSON.stringify(violations) })
    .where('seq', '=', event.seq)
    .execute();
}

/**
 * Rule 8: alias(previousId → userId). A previousId that is a person merges into userId; otherwise it is an
 * anonymous id to link.
 */
async function applyAlias(db: DB, personId: string, previousId: string, at: Date) {
  const previous = await resolvePersonId(db, previousId);
  const isPerson = await db.selectFrom('cdp_people').select('id').where('id', '=', previous).executeTakeFirst();
  if (isPerson) await mergePeople(db, personId, previous, at, 'alias');
  else await linkAnonymousId(db, previousId, personId, at);
}

/** Rule 3: an anonymous event arriving within 5 minutes of its id's identify is stitched; later ones stay anonymous. */
async function attachLateAnonymousEvent(db: DB, event: StoredEvent, at: Date): Promise<string | null> {
  if (!event.anonymous_id) return null;
  const identity = await db
    .selectFrom('cdp_identities')
    .selectAll()
    .where('anonymous_id', '=', event.anonymous_id)
    .executeTakeFirst();
  if (!identity || at.getTime() - Date.parse(identity.linked_at) > LATE_EVENT_WINDOW_MS) return null;
  await attachEvent(db, event.seq, identity.person_id, true, at);
  return identity.person_id;
}
