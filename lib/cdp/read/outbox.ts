import 'server-only';
import { sql, type Selectable } from 'kysely';
import type { DB } from '@/lib/db';
import { normalizeEmail } from '@/lib/tracking/email';
import type { OutboxTable } from '@/lib/db/tables/journeys';
import { afterKey, canMatchStoredText, decodeCursor, toPage, type KeyColumn, type PageRequest } from './page';
import { ownedByProfile } from './people';

/** The local outbox: every message a live journey sent, rendered (`outboxMessage` in ops/contract.ts). */
const toMessage = (r: Selectable<OutboxTable>) => ({
  id: r.id,
  journey_id: r.journey_id,
  person_id: r.person_id,
  to: r.to_email,
  subject: r.subject,
  html: r.html,
  text: r.text,
  restore_url: r.restore_url,
  created_at: r.created_at,
});

/** `person`: a person's messages, with those of people merged into it (`ownedByProfile`). */
export type OutboxFilter = PageRequest & { to?: string; journey?: string; person?: string };

const OUTBOX_ORDER: KeyColumn[] = [{ column: 'created_at', desc: true }, { column: 'id' }];

/** Newest first, a page at a time; `to` matches the address case-insensitively. */
export async function listOutbox(db: DB, { to, journey, person, cursor, limit = 100 }: OutboxFilter = {}) {
  let query = db
    .selectFrom('outbox')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit + 1);
  if (to) query = query.where(sql<string>`lower(to_email)`, '=', normalizeEmail(to));
  if (journey) query = query.where('journey_id', '=', journey);
  if (person) query = query.where(ownedByProfile(person));
  if (cursor) query = query.where(afterKey(OUTBOX_ORDER, decodeCursor(cursor, ['time', 'text'])));
  const rows = canMatchStoredText(to, journey, person) ? await query.execute() : [];
  return toPage(rows, limit, (r) => [r.created_at, r.id], toMessage);
}

export async function getOutboxMessage(db: DB, id: string) {
  const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toMessage(row) : null;
}
