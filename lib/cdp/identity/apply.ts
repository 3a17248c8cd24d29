import 'server-only';
import type { DB } from '@/lib/db';
import { normalizeEmailOrNull } from '@/lib/common/email';
import type { IngestMessage } from '@/lib/cdp/model/message';
import type { StoredEvent } from '@/lib/cdp/model/stored-event';
import { linkAnonymousId } from './link';
import { mergePeople } from './merge';
import {
  attachEvent,
  ensurePerson,
  findPersonIdByEmail,
  resolvePersonId,
  updateTraits,
} from '@/lib/cdp/store/profiles';
import { LATE_EVENT_WINDOW_MS } from '@/lib/cdp/model/windows';

/**
 * Places a newly stored event in the identity graph (rules in lib/cdp/README.md):
 * calls with a userId go to that person; identify and alias link ids, stitch and merge;
 * anonymous calls join a person only within 5 minutes of an identify of their anonymous id.
 * Returns the person the event joined (null if none); the caller refreshes their first/last seen once per batch.
 */
export async function applyIdentity(
  db: DB,
  event: StoredEvent,
  message: IngestMessage,
  at: Date,
): Promise<string | null> {
  if (!message.userId) return attachLateAnonymousEvent(db, event, at);
  const personId = await resolvePersonId(db, message.userId);
  await ensurePerson(db, personId, at);

  if (message.type === 'identify') {
    await mergeByEmail(db, personId, message.traits, at);
    await updateTraits(db, personId, message.traits, at);
  }
  await attachEvent(db, event.seq, personId, false, at);
  if (message.type === 'identify' && message.anonymousId) await linkAnonymousId(db, message.anonymousId, personId, at);
  if (message.type === 'alias' && message.previousId) await applyAlias(db, personId, message.previousId, at);
  return personId;
}

/** Rule 6: the identify's userId and email point to two people → the one found by email merges into the userId's. */
async function mergeByEmail(db: DB, personId: string, traits: Record<string, unknown>, at: Date) {
  const email = normalizeEmailOrNull(traits.email);
  if (!email) return;
  const other = await findPersonIdByEmail(db, email);
  if (other && other !== personId) await mergePeople(db, personId, other, at, 'email');
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
