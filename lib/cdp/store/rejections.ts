import 'server-only';
import type { DB } from '@/lib/db';
import type { RejectedCall } from '@/lib/cdp/model/rejection';
import { excerpt, safeText } from '@/lib/cdp/model/excerpt';

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
