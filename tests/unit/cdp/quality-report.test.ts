import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import type { ViolationKind } from '@/lib/cdp/model/quality';
import { qualityReport } from '@/lib/cdp/read/quality-report';
import { freshDb, unmigratedDatabase } from '../support/database';
import { turnsDuring } from '../support/event-loop';

// The data-quality report reads the events a range at a time (see tests/unit/db/report-plans.test.ts); what it
// answers must not have changed. `reportBefore` is the report as it was, grouping every stored event at once (its
// counts by the old statement; its kinds counted in JS from the stored violations).
const labelOf = (table: string) =>
  sql<string>`case when ${sql.ref(`${table}.type`)} = 'track' then coalesce(${sql.ref(`${table}.name`)}, '') else ${sql.ref(`${table}.type`)} end`;

async function reportBefore(db: DB) {
  const label = labelOf('cdp_events');
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
  // The kinds counted here from the stored violations, not by the report's own statement.
  const events = await db.selectFrom('cdp_events').select(['type', 'name', 'violations']).execute();
  const kinds = new Map<string, number>();
  for (const e of events) {
    const label = e.type === 'track' ? (e.name ?? '') : e.type;
    for (const kind of new Set((JSON.parse(e.violations) as { kind: Kind }[]).map((v) => v.kind))) {
      const key = JSON.stringify([e.type, label, kind]);
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
  }
  return totals.map((row) => ({
    ...row,
    violations: Object.fromEntries(
      [...kinds]
        .map(([key, n]) => [...(JSON.parse(key) as [string, string, Kind]), n] as const)
        .filter(([type, label]) => type === row.type && label === row.name)
        .map(([, , kind, n]) => [kind, n]),
    ),
  }));
}

type Kind = ViolationKind;
/** `times` stored events of one type, name, canonical name and list of violations (by kind). */
type Batch = [times: number, type: string, name: string | null, canonical: string | null, kinds: Kind[]];

// Every count differs where two rows could share a label, so the report's order (count desc, name) is total.
const batches: Batch[] = [
  [9, 'track', 'Product Viewed', 'Product Viewed', []],
  [2, 'track', 'Product Viewed', 'Product Viewed', ['missing_schema_version']],
  [3, 'track', 'add_to_cart', 'Added to Cart', ['drifted_name']],
  [1, 'track', 'add_to_cart', null, ['drifted_name', 'missing_property']],
  [1, 'track', 'add_to_cart', 'Added to Cart', ['drifted_name', 'invalid_property', 'invalid_property']],
  [2, 'track', 'Mystery Clicked', null, ['unknown_event']],
  [1, 'track', 'Mystery Clicked', null, ['unknown_event', 'missing_property', 'unverified_user_id']],
  // A track without a name and one named '' are one row, named ''.
  [2, 'track', null, null, ['unknown_event']],
  [1, 'track', '', null, []],
  // A track named like a call type is its own row.
  [4, 'track', 'page', null, ['unknown_event']],
  // Other calls are grouped by type whatever their name, with the greatest canonical name among them.
  [5, 'page', 'Home', 'Home', []],
  [3, 'page', 'Pricing', null, ['missing_property']],
  [1, 'page', null, null, ['invalid_property', 'missing_property']],
  [1, 'page', 'About', 'About', ['unverified_user_id']],
  [6, 'identify', null, null, []],
  [2, 'identify', null, null, ['identity_conflict']],
  [1, 'identify', null, null, ['unverified_identity', 'unverified_identity']],
  [1, 'identify', null, null, ['unverified_user_id', 'identity_conflict']],
  [3, 'screen', 'Settings', 'Settings', []],
  [1, 'group', null, null, []],
  [7, 'alias', null, null, ['unverified_identity']],
];

async function store(db: DB, list: Batch[]) {
  let n = 0;
  const rows = list.flatMap(([times, type, name, canonical, kinds]) =>
    Array.from({ length: times }, () => ({
      message_id: `m${++n}`,
      type,
      name,
      canonical_name: canonical,
      timestamp: '2026-03-01T12:00:00.000Z',
      received_at: '2026-03-01T12:00:00.000Z',
      anonymous_id: 'a',
      user_id: null,
      previous_id: null,
      group_id: null,
      person_id: null,
      original_timestamp: null,
      sent_at: null,
      stitched: 0,
      attached_at: null,
      merged_from: null,
      seen_by_client: 1,
      seen_by_server: 0,
      seen_count: 1,
      properties: '{}',
      traits: '{}',
      context: '{}',
      identity_check: null,
      violations: JSON.stringify(kinds.map((kind) => ({ kind, path: 'event', message: `${kind} ${n}` }))),
    })),
  );
  await db.insertInto('cdp_events').values(rows).execute();
}

let db: DB;
beforeEach(async () => {
  db = await freshDb();
});

describe('qualityReport', () => {
  it('answers what it did before it read indexes, on mixed calls, names and violations', async () => {
    await store(db, batches);
    const report = await qualityReport(db);
    expect(report).toEqual(await reportBefore(db));
    expect(report).toEqual([
      {
        name: 'Product Viewed',
        type: 'track',
        canonical_name: 'Product Viewed',
        count: 11,
        valid: 9,
        violations: { missing_schema_version: 2 },
      },
      {
        name: 'identify',
        type: 'identify',
        canonical_name: null,
        count: 10,
        valid: 6,
        violations: { identity_conflict: 3, unverified_identity: 1, unverified_user_id: 1 },
      },
      {
        name: 'page',
        type: 'page',
        canonical_name: 'Home',
        count: 10,
        valid: 5,
        violations: { invalid_property: 1, missing_property: 4, unverified_user_id: 1 },
      },
      {
        name: 'alias',
        type: 'alias',
        canonical_name: null,
        count: 7,
        valid: 0,
        violations: { unverified_identity: 7 },
      },
      {
        name: 'add_to_cart',
        type: 'track',
        canonical_name: 'Added to Cart',
        count: 5,
        valid: 0,
        violations: { drifted_name: 5, invalid_property: 1, missing_property: 1 },
      },
      { name: 'page', type: 'track', canonical_name: null, count: 4, valid: 0, violations: { unknown_event: 4 } },
      {
        name: '',
        type: 'track',
        canonical_name: null,
        count: 3,
        valid: 1,
        violations: { unknown_event: 2 },
      },
      {
        name: 'Mystery Clicked',
        type: 'track',
        canonical_name: null,
        count: 3,
        valid: 0,
        violations: { missing_property: 1, unknown_event: 3, unverified_user_id: 1 },
      },
      { name: 'screen', type: 'screen', canonical_name: 'Settings', count: 3, valid: 3, violations: {} },
      { name: 'group', type: 'group', canonical_name: null, count: 1, valid: 1, violations: {} },
    ]);
  });

  it('is empty with no events, and has no violations when every event is valid', async () => {
    expect(await qualityReport(db)).toEqual([]);
    await store(db, [
      [2, 'track', 'Product Viewed', 'Product Viewed', []],
      [1, 'page', 'Home', 'Home', []],
    ]);
    const report = await qualityReport(db);
    expect(report).toEqual(await reportBefore(db));
    expect(report.map((r) => [r.name, r.count, r.valid, r.violations])).toEqual([
      ['Product Viewed', 2, 2, {}],
      ['page', 1, 1, {}],
    ]);
  });

  // Anyone holding the public browser key adds events with violations: read in one statement, 512,000 of them held
  // the synchronous SQLite driver (every request of the shop) for 12 s. A range of events at a time, the event loop
  // free in between, and the same answer, whichever range each event fell in and with gaps in the seqs.
  it('reads a range of events at a time with the event loop free in between, and answers the same', async () => {
    await store(db, batches);
    await db.deleteFrom('cdp_events').where('message_id', 'in', ['m3', 'm4', 'm20', 'm21', 'm22']).execute();
    const before = await reportBefore(db);
    const stored = before.reduce((n, row) => n + Number(row.count), 0);
    expect(stored).toBe(52);
    for (const chunkEvents of [1, 4, 7, 1000]) {
      const { turns, value: report } = await turnsDuring(() => qualityReport(db, { chunkEvents }));
      expect(report).toEqual(before);
      const ranges = Math.ceil(stored / chunkEvents);
      expect(turns, `${ranges} ranges of ${chunkEvents}`).toBeGreaterThanOrEqual(ranges - 1);
    }
  });

  it('answers the same across migrations 0025 and 0043 (its indexes), up and back down', async () => {
    const { db, migrator } = await unmigratedDatabase();
    expect((await migrator.migrateTo('0024-outbox-read-indexes')).error).toBeUndefined();
    await store(db, batches);
    const before = await reportBefore(db);
    expect((await migrator.migrateTo('0025-quality-indexes')).error).toBeUndefined();
    expect(await qualityReport(db)).toEqual(before);
    expect((await migrator.migrateTo('0024-outbox-read-indexes')).error).toBeUndefined();
    expect(await qualityReport(db)).toEqual(before);
    // And across 0043, which drops 0025's partial index of the events with a violation again.
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await qualityReport(db)).toEqual(before);
    expect((await migrator.migrateTo('0042-held-forward-retention')).error).toBeUndefined();
    expect(await qualityReport(db)).toEqual(before);
    await db.destroy();
  });
});
