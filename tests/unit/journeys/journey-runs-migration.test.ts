import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { loadRunsOf } from '@/lib/cdp/store/journey-runs';
import { profilesDue } from '@/lib/cdp/store/journey-due';
import { recentRuns } from '@/lib/cdp/read/journey-report';
import { dialectOf } from '@/lib/db/dialect';
import { unmigratedDatabase } from '../support/database';

// A database full of runs from before 0023 (which rebuilds journey_runs's indexes) migrated forward: every run reads
// back as it was stored, and each read the indexes serve finds the same runs. A storage suite: SQLite and PostgreSQL.
const T = '2026-01-01T00:00:00.000Z';
const run = (n: number, status: string, overrides: Record<string, unknown> = {}) => ({
  id: `cart-recovery-hold:${n}`,
  journey_id: n % 2 ? 'cart-recovery-hold' : 'browse-recovery',
  person_id: `cus_${n % 7}`,
  trigger_seq: n,
  anchor_seq: n - 1,
  anchor_at: T,
  entered_at: T,
  email_at_trigger: n % 2,
  shadow: n % 3 === 0 ? 1 : 0,
  status,
  reason: status === 'exited' ? 'converted' : null,
  detail: status === 'exited' ? `Order Completed #${n}` : null,
  due_at: status === 'waiting' ? '2026-01-01T01:00:00.000Z' : null,
  ended_at: status === 'exited' || status === 'sent' ? T : null,
  created_at: T,
  updated_at: `2026-01-01T00:${String(n % 60).padStart(2, '0')}:00.000Z`,
  ...overrides,
});

it('keeps every run and finds the same ones through the new indexes', async () => {
  const { db, migrator } = await unmigratedDatabase();
  const before = await migrator.migrateTo('0022-email-domains');
  if (before.error) throw before.error;
  const statuses = ['entered', 'held', 'waiting', 'exited', 'sent', 'failed'];
  const rows = Array.from({ length: 120 }, (_, i) => run(i + 1, statuses[i % statuses.length]!));
  // Untyped: the schema as it was at 0022.
  await (db as unknown as Kysely<{ journey_runs: (typeof rows)[number] }>)
    .insertInto('journey_runs')
    .values(rows)
    .execute();

  const { error } = await migrator.migrateToLatest();
  expect(error).toBeUndefined();

  const stored = await db.selectFrom('journey_runs').selectAll().orderBy('id').execute();
  expect(stored).toEqual([...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));

  const inFlight = new Set(
    rows.filter((r) => ['entered', 'held', 'waiting'].includes(r.status)).map((r) => r.person_id),
  );
  // Every run in flight is due by the year 8000 (0027 reads them by due time).
  const due = await profilesDue(db, new Date('8000-01-01T00:00:00.000Z'), 0);
  expect(due.map((p) => p.id).sort()).toEqual([...inFlight].sort());
  expect((await loadRunsOf(db, ['cus_3'])).map((r) => r.id).sort()).toEqual(
    rows
      .filter((r) => r.person_id === 'cus_3')
      .map((r) => r.id)
      .sort(),
  );
  const page = await recentRuns(db, { journeyId: 'browse-recovery', limit: 5 });
  const newest = rows
    .filter((r) => r.journey_id === 'browse-recovery')
    .sort((a, b) => (a.updated_at === b.updated_at ? (a.id < b.id ? -1 : 1) : a.updated_at < b.updated_at ? 1 : -1))
    .slice(0, 5);
  expect(page.items.map((r) => r.id)).toEqual(newest.map((r) => r.id));

  // journey_runs_journey and journey_runs_status are gone: each was one more B-tree written per run; 0027 reads the
  // runs in flight by due time instead of by status.
  const indexes = await sql<{ name: string }>`select ${sql.raw(
    dialectOf(db) === 'postgres'
      ? `indexname as name from pg_indexes where tablename = 'journey_runs' and schemaname = current_schema()
        and indexname <> 'journey_runs_pkey'`
      : `name from sqlite_master where type = 'index' and tbl_name = 'journey_runs' and sql is not null`,
  )}`.execute(db);
  expect(indexes.rows.map((r) => r.name).sort()).toEqual([
    'journey_runs_due',
    'journey_runs_person',
    'journey_runs_recent',
  ]);
});
