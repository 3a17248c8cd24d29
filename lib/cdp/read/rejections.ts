import 'server-only';
import type { DB } from '@/lib/db';
import { readJson } from '@/lib/cdp/model/stored-event';
import type { RejectionReason } from '@/lib/cdp/model/rejection';

export type RejectionFilter = { reason?: RejectionReason; limit?: number };

/**
 * The calls the ingest refused (`rejectionsResponse` in ops/contract.ts): the latest first, and a count per reason
 * over all of them, so a permissive 200 never hides a loss.
 */
export async function listRejections(db: DB, { reason, limit = 50 }: RejectionFilter = {}) {
  let query = db.selectFrom('cdp_rejections').selectAll().orderBy('id', 'desc').limit(limit);
  if (reason) query = query.where('reason', '=', reason);
  const rows = await query.execute();
  const counts = await db
    .selectFrom('cdp_rejections')
    .select(['reason', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('reason')
    .execute();
  return {
    total: counts.reduce((sum, c) => sum + Number(c.n), 0),
    by_reason: Object.fromEntries(counts.map((c) => [c.reason, Number(c.n)])) as Partial<
      Record<RejectionReason, number>
    >,
    rejections: rows.map((r) => ({
      id: Number(r.id),
      received_at: r.received_at,
      endpoint: r.endpoint,
      reason: r.reason as RejectionReason,
      problems: readJson<{ path: string; message: string }[]>(r.problems, []),
      call: r.call,
      message_id: r.message_id,
      strict: r.strict === 1,
    })),
  };
}
