import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { jsonArrayElements, jsonTextField } from '@/lib/db/dialect';
import { checkAgainstPlan, type Violation } from '@/lib/tracking/plan';
import type { IngestMessage } from '@/lib/cdp/ingest/schema';

export type { Violation };
export type ViolationKind = Violation['kind'];

/** Checks a call against the tracking plan. Violations are stored with the event and reported, never rejected. */
export function checkEvent(message: IngestMessage): { canonicalName: string | null; violations: Violation[] } {
  return checkAgainstPlan({
    type: message.type,
    event: message.event ?? undefined,
    name: message.name ?? undefined,
    properties: message.properties,
  });
}

export type QualityRow = {
  /** The track event name as sent; other calls are grouped by their type (`page`, `identify`, …). */
  name: string;
  type: string;
  canonical_name: string | null;
  count: number;
  /** How many of them had no violation at all. */
  valid: number;
  /** Number of events with at least one violation of each kind. */
  violations: Partial<Record<ViolationKind, number>>;
};

// Track calls are grouped by event name; other calls by type, since their name is a page title, not an event.
const labelOf = (table: string) =>
  sql<string>`case when ${sql.ref(`${table}.type`)} = 'track' then coalesce(${sql.ref(`${table}.name`)}, '') else ${sql.ref(`${table}.type`)} end`;
const label = labelOf('cdp_events');

export async function qualityReport(db: DB): Promise<QualityRow[]> {
  const totals = await db
    .selectFrom('cdp_events')
    .select([
      label.as('name'),
      'type',
      sql<string | null>`max(canonical_name)`.as('canonical_name'),
      sql<number>`count(*)`.as('count'),
      sql<number>`sum(case when violations = '[]' then 1 else 0 end)`.as('valid'),
    ])
    .groupBy(['type', label])
    .orderBy('count', 'desc')
    .orderBy('name')
    .execute();
  const kinds = await sql<{ name: string; type: string; kind: ViolationKind; events: number }>`
    select ${labelOf('e')} as name, e.type as type, ${jsonTextField(db, sql`v.value`, 'kind')} as kind, count(distinct e.seq) as events
    from cdp_events as e, ${jsonArrayElements(db, sql`e.violations`, 'v')}
    group by e.type, ${labelOf('e')}, kind`.execute(db);

  return totals.map((row) => ({
    ...row,
    violations: Object.fromEntries(
      kinds.rows.filter((k) => k.name === row.name && k.type === row.type).map((k) => [k.kind, k.events]),
    ),
  }));
}
