import 'server-only';
import type { DB } from '@/lib/db';
import { addMs } from '@/lib/common/duration';
import { ANONYMOUS_RETENTION_MS } from '@/lib/cdp/model/windows';

/**
 * Rule 7: anonymous ids never identified, with no event received for 30 days, are deleted with their
 * anonymous events. Returns the number of events deleted.
 */
export async function purgeAnonymous(db: DB, at: Date): Promise<number> {
  const cutoff = addMs(at, -ANONYMOUS_RETENTION_MS).toISOString();
  const stale = db
    .selectFrom('cdp_events')
    .select('anonymous_id')
    .where('anonymous_id', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('cdp_identities')
            .select('anonymous_id')
            .whereRef('cdp_identities.anonymous_id', '=', 'cdp_events.anonymous_id'),
        ),
      ),
    )
    .groupBy('anonymous_id')
    .having((eb) => eb.fn.max('received_at'), '<', cutoff);
  const result = await db
    .deleteFrom('cdp_events')
    .where('person_id', 'is', null)
    .where('anonymous_id', 'in', stale)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
