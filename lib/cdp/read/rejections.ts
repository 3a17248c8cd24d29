import 'server-only';
import type { Selectable } from 'kysely';
import type { DB } from '@/lib/db';
import type { CdpRejectionsTable } from '@/lib/db/tables/cdp';
import { readJson } from '@/lib/cdp/model/stored-event';
import type { RejectionReason } from '@/lib/cdp/model/rejection';
import { afterKey, decodeCursor, toPage, type KeyColumn, type PageRequest } from './page';

export type RejectionFilter = PageRequest & { reason?: RejectionReason };

const REJECTIONS_ORDER: KeyColumn[] = [{ column: 'id', desc: true }];

/**
 * The calls the ingest refused (`rejectionsResponse` in ops/contract.ts): the latest first, and a count per reason
 * over all of them, so a permissive 200 never hides a loss.
 */
export async function listRejections(db: DB, { reason, cursor, limit = 50 }: RejectionFilter = {}) {
  let query = db
    .selectFrom('cdp_rejections')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (reason) query = query.where('reason', '=', reason);
  if (cursor) query = query.where(afterKey(REJECTIONS_ORDER, decodeCursor(cursor, ['id'])));
  const { items, next_cursor } = toPage(await query.execute(), limit, (r) => [Number(r.id)], view);
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
    rejections: items,
    next_cursor,
  };
}

const view = (r: Selectable<CdpRejectionsTable>) => ({
  id: Number(r.id),
  received_at: r.received_at,
  endpoint: r.endpoint,
  reason: r.reason as RejectionReason,
  problems: readJson<{ path: string; message: string }[]>(r.problems, []),
  call: r.call,
  message_id: r.message_id,
  strict: r.strict === 1,
});
