import 'server-only';
import type { DB } from '@/lib/db';
import { forgetQueuedForwards, forwardRowId } from './forward-queue';
import { resolvePersonId } from './profiles';
import { forgetRejections } from './rejections';

export type DeletedPerson = {
  /** The person deleted locally, null when the pipeline stores nobody with that id (or stores nothing). */
  personId: string | null;
  events: number;
  runs: number;
  messages: number;
  /** Rows of the forward queue and refused calls that went with them. */
  forwards: number;
  rejections: number;
};

/**
 * `User Deleted`, as Customer.io does it: the person is gone with everything the pipeline keeps about them: the
 * profile, their events (stitched ones, and the anonymous events of their devices), their identities and merges,
 * their journey runs and rendered messages, the refused calls that carry their ids or email, and their calls queued
 * for Customer.io before `deleteCall` (the messageId of the call that deletes them, which itself still goes: see
 * forgetQueuedForwards). A later call with the same userId starts a new, empty person.
 */
export async function deletePerson(db: DB, userId: string, deleteCall?: string): Promise<DeletedPerson> {
  const personId = await resolvePersonId(db, userId);
  const person = await db
    .selectFrom('cdp_people')
    .select(['id', 'email'])
    .where('id', '=', personId)
    .executeTakeFirst();
  const anonymousIds = (
    await db.selectFrom('cdp_identities').select('anonymous_id').where('person_id', '=', personId).execute()
  ).map((r) => r.anonymous_id);
  const mergedIds = await mergedInto(db, personId);
  const ids = [...new Set([userId, personId, ...mergedIds, ...anonymousIds])];
  const forwards = await forgetQueuedForwards(db, ids, deleteCall ? await forwardRowId(db, deleteCall) : null);
  const rejections = await forgetRejections(db, { ids, emails: person?.email ? [person.email] : [] });
  if (!person) return { personId: null, events: 0, runs: 0, messages: 0, forwards, rejections };
  // Runs of a profile never identified are keyed by its anonymous id; a person's by their id, and a merge leaves
  // the merged person's runs and messages under theirs.
  const merged = [personId, ...mergedIds];
  const subjects = [...merged, ...anonymousIds];

  // Their devices' events that no one took in go with them; one on someone else's timeline is that person's (a guest
  // order placed for her from this browser, her own calls before the browser became this person's): it stays, without
  // this person's browser id. Deleting by anonymous id alone deleted a victim's Order Completed with the stranger.
  const events = await db
    .deleteFrom('cdp_events')
    .where((eb) =>
      anonymousIds.length
        ? eb.or([
            eb('person_id', '=', personId),
            eb.and([eb('anonymous_id', 'in', anonymousIds), eb('person_id', 'is', null)]),
          ])
        : eb('person_id', '=', personId),
    )
    .executeTakeFirst();
  if (anonymousIds.length)
    await db
      .updateTable('cdp_events')
      .set({ anonymous_id: null })
      .where('anonymous_id', 'in', anonymousIds)
      .where('user_id', 'is not', null)
      .execute();
  // Also the calls naming one of their ids that stayed on a browser never linked to them (unverified_user_id, an
  // unsigned identify): Customer.io would have put them on this person; their held forwards went above. Found
  // through the index of such calls (migration 0020), not by reading every anonymous event.
  const named = await db
    .deleteFrom('cdp_events')
    .where('person_id', 'is', null)
    .where('user_id', 'in', [...new Set([userId, ...merged])])
    .executeTakeFirst();
  const messages = await db.deleteFrom('outbox').where('person_id', 'in', subjects).executeTakeFirst();
  const runs = await db.deleteFrom('journey_runs').where('person_id', 'in', subjects).executeTakeFirst();
  // Their ids waiting for the next journey pass (a table it empties every pass, so small enough to read whole).
  await db.deleteFrom('journey_touches').where('profile_id', 'in', subjects).execute();
  await db.deleteFrom('cdp_identities').where('person_id', '=', personId).execute();
  // The ids merged into this person would otherwise resolve to a person who no longer exists (and an id may be
  // an email address).
  await db
    .deleteFrom('cdp_merges')
    .where((eb) => eb.or([eb('primary_id', 'in', merged), eb('secondary_id', 'in', merged)]))
    .execute();
  await db.deleteFrom('cdp_people').where('id', '=', personId).execute();
  return {
    personId,
    events: Number(events.numDeletedRows) + Number(named.numDeletedRows),
    runs: Number(runs.numDeletedRows),
    messages: Number(messages.numDeletedRows),
    forwards,
    rejections,
  };
}

/**
 * Every id merged into this person, directly or through a person merged into them first (alias chains): all
 * resolve to them (resolvePersonId), so their runs, messages and queued calls are theirs.
 */
async function mergedInto(db: DB, personId: string): Promise<string[]> {
  const found = new Set<string>();
  let frontier = [personId];
  while (frontier.length) {
    const rows = await db.selectFrom('cdp_merges').select('secondary_id').where('primary_id', 'in', frontier).execute();
    frontier = rows.map((r) => r.secondary_id).filter((id) => id !== personId && !found.has(id));
    frontier.forEach((id) => found.add(id));
  }
  return [...found];
}

/**
 * Records that the person action with this messageId is being carried out; false when it already was. A retried
 * (or replayed) old `User Deleted` must not delete the person created since, nor an old `User Suppressed` undo a
 * later `User Unsuppressed`: like any call, a messageId counts once.
 */
export async function firstPersonAction(db: DB, messageId: string, action: string, at: Date): Promise<boolean> {
  const result = await db
    .insertInto('cdp_person_actions')
    .values({ message_id: messageId, action, received_at: at.toISOString() })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** `User Suppressed`: the id is refused until `User Unsuppressed`. */
export async function suppressUser(db: DB, userId: string, at: Date): Promise<void> {
  await db
    .insertInto('cdp_suppressions')
    .values({ user_id: userId, suppressed_at: at.toISOString() })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
}

export async function unsuppressUser(db: DB, userId: string): Promise<void> {
  await db.deleteFrom('cdp_suppressions').where('user_id', '=', userId).execute();
}

export async function isSuppressed(db: DB, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('cdp_suppressions')
    .select('user_id')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return !!row;
}
