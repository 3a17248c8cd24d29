import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { deleteInChunks } from '@/lib/db/delete-in-chunks';
import { addMs } from '@/lib/common/duration';
import { normalizeEmail } from '@/lib/tracking/email';
import { asciiSpelling } from '@/lib/tracking/email-domain';
import type { RejectedCall } from '@/lib/cdp/model/rejection';
import { excerpt, safeText } from '@/lib/cdp/model/excerpt';
import { REJECTION_RETENTION_MS } from '@/lib/cdp/model/windows';
import { chunks } from './profile-loader';

const MAX_PROBLEMS = 20;
// A batch of 500 KB may hold thousands of tiny calls: rows go in chunks under both databases' parameter limits.
const ROWS_PER_INSERT = 500;

/** Records refused calls (cdp_rejections): each with its reason, its problems and the call cut to a few KB. */
export async function recordRejections(
  db: DB,
  rejected: readonly RejectedCall[],
  { endpoint, receivedAt, strict }: { endpoint: string; receivedAt: Date; strict: boolean },
): Promise<void> {
  const rows = rejected.map((r) => ({
    received_at: receivedAt.toISOString(),
    endpoint: safeText(endpoint, 200),
    reason: r.reason,
    // Whole, valid JSON (read back by the console), bounded by count and length instead of cut.
    problems: JSON.stringify(
      r.problems
        .slice(0, MAX_PROBLEMS)
        .map((p) => ({ path: safeText(p.path, 300), message: safeText(p.message, 300) })),
    ),
    call: excerpt(r.call),
    message_id: r.messageId,
    strict: strict ? 1 : 0,
  }));
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
    await db
      .insertInto('cdp_rejections')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .execute();
}

/**
 * Retention of refused calls: deletes those received more than REJECTION_RETENTION_MS before `at` (each by its own
 * age), oldest first, a chunk at a time (deleteInChunks). Returns how many.
 */
export async function purgeRejections(db: DB, at: Date): Promise<number> {
  const cutoff = addMs(at, -REJECTION_RETENTION_MS).toISOString();
  return deleteInChunks(async (limit) => {
    const doomed = db
      .selectFrom('cdp_rejections')
      .select('id')
      .where('received_at', '<', cutoff)
      .orderBy('received_at')
      .limit(limit);
    return (await db.deleteFrom('cdp_rejections').where('id', 'in', doomed).executeTakeFirst()).numDeletedRows;
  });
}

/**
 * Deletes the refused calls that carry a deleted person's ids (userId, merged ids, anonymous ids: exactly) or email
 * (in any case) as a string anywhere in the call. Found by the value's JSON text in the stored excerpt, then checked
 * on the parsed call; an excerpt cut short (no longer JSON) that contains the text counts. Returns how many.
 */
export async function forgetRejections(
  db: DB,
  { ids, emails }: { ids: readonly string[]; emails: readonly string[] },
): Promise<number> {
  const exact = new Set(ids.filter(Boolean));
  const anyCase = new Set(emails.filter(Boolean).map(normalizeEmail));
  // A raw call may spell an internationalised domain in ASCII (xn--): searched for too, then checked as one address.
  const values = [...new Set([...exact, ...anyCase, ...[...anyCase].map(asciiSpelling)])];
  if (!values.length) return 0;
  const doomed = new Set<number>();
  for (const batch of chunks(values, 50)) {
    const rows = await db
      .selectFrom('cdp_rejections')
      .select(['id', 'call'])
      .where((eb) =>
        eb.or(
          batch.flatMap((v) => [
            sql<boolean>`${eb.ref('call')} like ${likePattern(v)} escape '\\'`,
            sql<boolean>`lower(${eb.ref('call')}) like ${anyCaseLikePattern(v)} escape '\\'`,
          ]),
        ),
      )
      .execute();
    for (const row of rows)
      if (carries(row.call, (v) => exact.has(v) || anyCase.has(normalizeEmail(v)))) doomed.add(row.id);
  }
  let deleted = 0;
  for (const batch of chunks([...doomed]))
    deleted += Number(
      (await db.deleteFrom('cdp_rejections').where('id', 'in', batch).executeTakeFirst()).numDeletedRows,
    );
  return deleted;
}

/** `%"value"%` as the excerpt writes the string (JSON), with LIKE's wildcards escaped. */
const likePattern = (value: string) => `%${excerpt(value).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * likePattern for `lower(call)`, where SQLite's lower() folds ASCII only: each run of other characters matches
 * anything (`JOSÉ`, a decomposed `é`), and the parsed call is then checked with normalizeEmail.
 */
const anyCaseLikePattern = (value: string) => likePattern(value.toLowerCase()).replace(/[^\x00-\x7f]+/gu, '%');

/** Whether the stored call has a string value that `match`es, at any depth. */
function carries(call: string, match: (value: string) => boolean): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(call);
  } catch {
    return true; // cut short: the LIKE matched its text
  }
  const visit = (value: unknown): boolean =>
    typeof value === 'string'
      ? match(value)
      : typeof value === 'object' && value !== null && Object.values(value).some(visit);
  return visit(parsed);
}
