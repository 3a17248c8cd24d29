import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { HOUR } from '@/lib/common/duration';
import { EVENT } from '@/lib/cdp/model/event';
import { readJson } from '@/lib/cdp/model/stored-event';
import { builtInJourneys } from '@/lib/cdp/engine/journeys/builtins';
import { isShadow } from '@/lib/cdp/engine/journeys/step';
import type { CartStrategy } from '@/lib/cdp/engine/journeys/schema';
import { runFromRow } from '@/lib/cdp/store/journey-runs';
import { trackName } from '@/lib/cdp/store/track-name';
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
  if (cursor) query = query.where(afterKey(RUN_ORDER, decodeCursor(cursor, ['time', 'text'])));
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

/** All recovered orders counted and summed per currency, and the latest of them listed. */
export type RecoveredOrders = {
  count: number;
  revenue: { currency: string; total: number }[];
  latest: RecoveredOrder[];
};

/**
 * Orders placed within 72 h after a cart recovery email to the same person, each credited once (to the latest
 * email before it: if that one is older than 72 h, so is every other). Read from Order Completed events, so it works
 * the same with Customer.io-shaped data — only server-confirmed ones (the shop's server sends every real order's):
 * the browser write key is public, so anyone could post an Order Completed at any total and inflate the revenue.
 *
 * One statement, whatever the number of emails: each order finds its person's latest cart email by the outbox's
 * person index (a list of every emailed person as parameters outgrew SQLite's 32,766 at ~33k people emailed). The
 * window is checked here: both times are ISO text, compared as text in SQL and as dates here.
 */
export async function recoveredOrders(db: DB, { limit = 20 }: { limit?: number } = {}): Promise<RecoveredOrders> {
  const cartJourneys = builtInJourneys.filter((j) => j.group === 'cart-recovery').map((j) => j.id);
  const rows = await db
    .selectFrom('cdp_events as e')
    .innerJoin('outbox as m', (join) =>
      join.on((eb) =>
        eb(
          'm.id',
          '=',
          eb
            .selectFrom('outbox as l')
            .select('l.id')
            .whereRef('l.person_id', '=', 'e.person_id')
            .where('l.journey_id', 'in', cartJourneys)
            .whereRef('l.created_at', '<=', 'e.timestamp')
            .orderBy('l.created_at', 'desc')
            .orderBy('l.id', 'desc')
            .limit(1),
        ),
      ),
    )
    .select(['e.seq', 'e.person_id', 'e.timestamp', 'e.properties', 'm.id as message_id', 'm.created_at as sent_at'])
    // Literals, as the partial index cdp_events_track_name is written: a planner uses it only when the query's
    // text implies `type = 'track'`.
    .where('e.type', '=', sql.lit('track'))
    .where(trackName('e'), '=', sql.lit(EVENT.orderCompleted))
    .where('e.trusted', '=', 1)
    .execute();
  const orders = rows
    .filter((o) => Date.parse(o.timestamp) - Date.parse(o.sent_at) <= RECOVERY_WINDOW_MS)
    .sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : b.seq - a.seq))
    .map((o): RecoveredOrder => {
      const p = readJson<Record<string, unknown>>(o.properties, {});
      return {
        order_id: typeof p.order_id === 'string' ? p.order_id : `#${o.seq}`,
        person_id: o.person_id!,
        message_id: o.message_id,
        total: typeof p.total === 'number' ? p.total : 0,
        currency: typeof p.currency === 'string' ? p.currency : 'USD',
        ordered_at: o.timestamp,
      };
    });
  // Summed in cents: a sum of thousands of decimal totals as floats drifts.
  const cents = new Map<string, number>();
  for (const o of orders) cents.set(o.currency, (cents.get(o.currency) ?? 0) + Math.round(o.total * 100));
  return {
    count: orders.length,
    revenue: [...cents].map(([currency, total]) => ({ currency, total: total / 100 })),
    latest: orders.slice(0, limit),
  };
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
