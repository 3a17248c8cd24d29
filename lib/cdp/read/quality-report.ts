import 'server-only';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { jsonArrayElements, jsonTextField, rowidOnly } from '@/lib/db/dialect';
import type { ViolationKind } from '@/lib/cdp/model/quality';

/**
 * Events per range read. The report reads every stored event, and anyone holding the public browser key adds events
 * with violations (whose kinds are unpacked one by one): in one statement, 512,000 of them held the synchronous
 * SQLite driver, and so every request of the shop, for 12 s. A range of seqs at a time, with the event loop free in
 * between, keeps each hold to tens of milliseconds (at most ~200 ms at load 10 over the same 512,000).
 */
export const QUALITY_CHUNK_EVENTS = 2_000;

// Track calls are grouped by event name; other calls by type, since their name is a page title, not an event.
const labelOf = (table: string) =>
  sql<string>`case when ${sql.ref(`${table}.type`)} = 'track' then coalesce(${sql.ref(`${table}.name`)}, '') else ${sql.ref(`${table}.type`)} end`;

type Row = { name: string; type: string; canonical_name: string | null; count: number; valid: number };

/**
 * Per event name (track) or call type (others): how many arrived, how many were valid, and how many had each
 * kind of violation (`qualityRow` in ops/contract.ts). Counted a range of seqs at a time (QUALITY_CHUNK_EVENTS) up to
 * the last event stored when it starts, and added up here: the ranges share no event, so the sums are exact.
 */
export async function qualityReport(db: DB, { chunkEvents = QUALITY_CHUNK_EVENTS } = {}) {
  // Up to the last event stored now (max alone: one step down the primary key; with min beside it, SQLite reads all).
  const { last } = await db
    .selectFrom('cdp_events')
    .select(sql<number | null>`max(seq)`.as('last'))
    .executeTakeFirstOrThrow();
  const rows = new Map<string, Row & { violations: Partial<Record<ViolationKind, number>> }>();
  const rowOf = (type: string, name: string) => {
    const key = `${type}\u0000${name}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { name, type, canonical_name: null, count: 0, valid: 0, violations: {} }));
    return row;
  };
  for (let from = 0, to = 0, end = Number(last ?? -1); from <= end; from = to + 1) {
    if (from > 0) await nextTurn();
    // The range ends at the chunk's last event (seqs have gaps: purges, rolled-back inserts), or at `last`.
    const rangeEnd = await db
      .selectFrom('cdp_events')
      .select('seq')
      .where('seq', '>=', from)
      .orderBy('seq')
      .limit(1)
      .offset(chunkEvents - 1)
      .executeTakeFirst();
    to = Math.min(rangeEnd ? Number(rangeEnd.seq) : end, end);
    const totals = await sql<Row>`
      select ${labelOf('e')} as name, e.type as type, max(e.canonical_name) as canonical_name, count(*) as count,
        sum(case when e.violations = '[]' then 1 else 0 end) as valid
      from cdp_events as e ${rowidOnly(db)}
      where e.seq >= ${from} and e.seq <= ${to}
      group by e.type, ${labelOf('e')}`.execute(db);
    for (const total of totals.rows) {
      const row = rowOf(total.type, total.name);
      row.count += Number(total.count);
      row.valid += Number(total.valid);
      if (total.canonical_name !== null && (row.canonical_name === null || total.canonical_name > row.canonical_name))
        row.canonical_name = total.canonical_name;
    }
    const kinds = await sql<{ name: string; type: string; kind: ViolationKind; events: number }>`
      select ${labelOf('e')} as name, e.type as type, ${jsonTextField(db, sql`v.value`, 'kind')} as kind,
        count(distinct e.seq) as events
      from cdp_events as e ${rowidOnly(db)}, ${jsonArrayElements(db, sql`e.violations`, 'v')}
      where e.seq >= ${from} and e.seq <= ${to} and e.violations <> '[]'
      group by e.type, ${labelOf('e')}, kind`.execute(db);
    for (const kind of kinds.rows) {
      const { violations } = rowOf(kind.type, kind.name);
      violations[kind.kind] = (violations[kind.kind] ?? 0) + Number(kind.events);
    }
  }
  return [...rows.values()].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
