import 'server-only';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { jsonArrayElements, jsonTextField } from '@/lib/db/dialect';
import type { ViolationKind } from '@/lib/cdp/model/quality';

// Track calls are grouped by event name; other calls by type, since their name is a page title, not an event.
const labelOf = (table: string) =>
  sql<string>`case when ${sql.ref(`${table}.type`)} = 'track' then coalesce(${sql.ref(`${table}.name`)}, '') else ${sql.ref(`${table}.type`)} end`;

/**
 * Per event name (track) or call type (others): how many arrived, how many were valid, and how many had each
 * kind of violation (`qualityRow` in ops/contract.ts).
 *
 * Both statements read indexes of migration 0025, never every stored event: the counts walk `cdp_events_quality`
 * (type, name, canonical_name, violations = '[]') in its order, one group per (type, name), and only those few
 * groups are then merged into the report's rows; the kinds read the events with a violation through the partial
 * `cdp_events_invalid`. The conditions on `violations` are spelled as in the indexes, or SQLite would not use them.
 */
export async function qualityReport(db: DB) {
  const byName = db
    .selectFrom('cdp_events')
    .select([
      'type',
      'name',
      sql<string | null>`max(canonical_name)`.as('canonical_name'),
      sql<number>`count(*)`.as('count'),
      sql<number>`sum(case when violations = '[]' then 1 else 0 end)`.as('valid'),
    ])
    .groupBy(['type', 'name']);
  const label = labelOf('n');
  const totals = await db
    .selectFrom(byName.as('n'))
    .select([
      label.as('name'),
      'n.type',
      sql<string | null>`max(n.canonical_name)`.as('canonical_name'),
      sql<number>`cast(sum(n.count) as bigint)`.as('count'),
      sql<number>`cast(sum(n.valid) as bigint)`.as('valid'),
    ])
    .groupBy(['n.type', label])
    .orderBy('count', 'desc')
    .orderBy('name')
    .execute();
  const kinds = await sql<{ name: string; type: string; kind: ViolationKind; events: number }>`
    select ${labelOf('e')} as name, e.type as type, ${jsonTextField(db, sql`v.value`, 'kind')} as kind, count(distinct e.seq) as events
    from cdp_events as e, ${jsonArrayElements(db, sql`e.violations`, 'v')}
    where e.violations <> '[]'
    group by e.type, ${labelOf('e')}, kind`.execute(db);

  return totals.map((row) => ({
    ...row,
    violations: Object.fromEntries<number>(
      kinds.rows.filter((k) => k.name === row.name && k.type === row.type).map((k) => [k.kind, k.events]),
    ),
  }));
}
