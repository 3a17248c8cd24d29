import 'server-only';
import type { DB } from '@/lib/db';
import { HOUR } from '@/lib/common/duration';
import { EVENT } from '@/lib/cdp/model/event';
import { isServerConfirmed, readJson } from '@/lib/cdp/model/stored-event';
import { builtInJourneys } from '@/lib/cdp/engine/journeys/builtins';
import { isShadow } from '@/lib/cdp/engine/journeys/step';
import type { CartStrategy } from '@/lib/cdp/engine/journeys/schema';
import { runFromRow } from '@/lib/cdp/store/journey-runs';
import type { JourneyRun } from '@/lib/cdp/engine/journeys/types';
import { afterKey, decodeCursor, toPage, type KeyColumn, type PageRequest } from './page';
import { ownedByProfile } from './people';

/** What the console and the ops API show about journeys: counts per journey, recent runs, recovered revenue. */

type JourneyCounts = { entered: number; held: number; waiting: number; sent: number; exited: number; failed: number };

const STATUSES = ['held', 'waiting', 'sent', 'exited', 'failed'] as const;

/** Counts per journey, with `mode` live or shadow under `liveCartStrategy` (`journeySummary` in ops/contract.ts). */
export async function journeySummaries(db: DB, liveCartStrategy: CartStrategy) {
  const rows = await db
    .selectFrom('journey_runs')
    .select(['journey_id', 'status', 'reason'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['journey_id', 'status', 'reason'])
    .execute();
  return builtInJourneys.map((j) => {
    const mine = rows.filter((r) => r.journey_id === j.id);
    const counts: JourneyCounts = { entered: 0, held: 0, waiting: 0, sent: 0, exited: 0, failed: 0 };
    const reasons: Record<string, number> = {};
    for (const r of mine) {
      const n = Number(r.n);
      // `entered` counts every run: each one entered; the others are where it is now.
      counts.entered += n;
      if ((STATUSES as readonly string[]).includes(r.status)) counts[r.status as (typeof STATUSES)[number]] += n;
      if (r.reason) reasons[r.reason] = (reasons[r.reason] ?? 0) + n;
    }
    const mode: 'live' | 'shadow' = isShadow(j, liveCartStrategy) ? 'shadow' : 'live';
    return { id: j.id, name: j.name, group: j.group, strategy: j.strategy ?? null, mode, reasons, ...counts };
  });
}

/** `profileId`: a person (with the runs of its anonymous ids and of people merged into it) or an anonymous id. */
export type RunFilter = PageRequest & { journeyId?: string; profileId?: string };

const RUN_ORDER: KeyColumn[] = [{ column: 'updated_at', desc: true }, { column: 'id' }];

/** Runs, latest change first, a page at a time, as the ops API shows them (`journeyRun` in ops/contract.ts). */
export async function recentRuns(db: DB, { journeyId, profileId, cursor, limit = 50 }: RunFilter = {}) {
  let query = db
    .selectFrom('journey_runs')
    .selectAll()
    // Whether the run's profile is a person (any id scheme) or an anonymous id: the console links each to its page.
    .select((eb) =>
      eb
        .exists(
          eb.selectFrom('cdp_people').select('cdp_people.id').whereRef('cdp_people.id', '=', 'journey_runs.person_id'),
        )
        .as('is_person'),
    )
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(limit + 1);
  if (journeyId) query = query.where('journey_id', '=', journeyId);
  if (profileId) query = query.where(ownedByProfile(profileId));
  if (cursor) query = query.where(afterKey(RUN_ORDER, decodeCursor(cursor, ['string', 'string'])));
  const rows = await query.execute();
  return toPage(
    rows,
    limit,
    (r) => [r.updated_at, r.id],
    (row) => runView(runFromRow(row), Boolean(Number(row.is_person))),
  );
}

export const RECOVERY_WINDOW_MS = 72 * HOUR;

export type RecoveredOrder = {
  order_id: string;
  person_id: string;
  message_id: string;
  total: number;
  currency: string;
  ordered_at: string;
};

/**
 * Orders placed within 72 h after a cart recovery email to the same person, each credited once (to the latest
 * email before it). Read from Order Completed events, so it works the same with Customer.io-shaped data — only
 * server-confirmed ones (the shop's server sends every real order's): the browser write key is public, so anyone
 * could post an Order Completed at any total and inflate the revenue.
 */
export async function recoveredOrders(db: DB): Promise<RecoveredOrder[]> {
  const cartJourneys = builtInJourneys.filter((j) => j.group === 'cart-recovery').map((j) => j.id);
  const messages = await db
    .selectFrom('outbox')
    .select(['id', 'person_id', 'created_at'])
    .where('journey_id', 'in', cartJourneys)
    .orderBy('created_at', 'desc')
    .execute();
  if (!messages.length) return [];
  const orders = await db
    .selectFrom('cdp_events')
    .select(['seq', 'person_id', 'timestamp', 'properties', 'trusted'])
    .where('type', '=', 'track')
    .where('canonical_name', '=', EVENT.orderCompleted)
    .where('person_id', 'in', [...new Set(messages.map((m) => m.person_id))])
    .execute();
  return orders.filter(isServerConfirmed).flatMap((o) => {
    const at = Date.parse(o.timestamp);
    const message = messages.find(
      (m) =>
        m.person_id === o.person_id &&
        Date.parse(m.created_at) <= at &&
        at - Date.parse(m.created_at) <= RECOVERY_WINDOW_MS,
    );
    if (!message) return [];
    const p = readJson<Record<string, unknown>>(o.properties, {});
    return [
      {
        order_id: typeof p.order_id === 'string' ? p.order_id : `#${o.seq}`,
        person_id: o.person_id!,
        message_id: message.id,
        total: typeof p.total === 'number' ? p.total : 0,
        currency: typeof p.currency === 'string' ? p.currency : 'USD',
        ordered_at: o.timestamp,
      },
    ];
  });
}

/** A run as the ops API shows it (snake_case, ISO times, like the rest of /api/ops). */
const runView = (r: JourneyRun, isPerson: boolean) => ({
  id: r.id,
  journey_id: r.journeyId,
  person_id: r.profileId,
  profile: isPerson ? ('person' as const) : ('anonymous' as const),
  status: r.status,
  reason: r.reason,
  detail: r.detail,
  shadow: r.shadow,
  email_at_trigger: r.emailAtTrigger,
  trigger_seq: r.triggerSeq,
  anchor_seq: r.anchorSeq,
  entered_at: r.enteredAt.toISOString(),
  due_at: r.dueAt?.toISOString() ?? null,
  ended_at: r.endedAt?.toISOString() ?? null,
});
