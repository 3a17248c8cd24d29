import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '@/lib/db';
import { loadRunsOf, moveRuns, rekeyRuns } from '@/lib/cdp/store/journey-runs';
import { profilesDue } from '@/lib/cdp/store/journey-due';
import { deletePerson } from '@/lib/cdp/store/person-deletion';
import { recentRuns } from '@/lib/cdp/read/journey-report';
import { encodeCursor } from '@/lib/cdp/read/page';
import { freshDatabaseUrl } from '../support/database';
import { plansOf, scansOf, type PlannedStatement } from '../support/query-plans';

// Every statement on journey_runs reads it through the index meant for it (migrations 0023 and 0027 keep three: the
// person's, the runs in flight by due time and the newest first), never by reading every run: a first pass over 100k people
// stores 400k. SQLite has no statistics in a test, so these are the plans it would choose on any amount of data.
// The console's counts per journey (journeySummaries) are the exception by nature: they count every run.
let db: DB;
beforeAll(async () => {
  db = await openDatabase(await freshDatabaseUrl());
  const at = new Date().toISOString();
  await db
    .insertInto('cdp_people')
    .values({ id: 'cus_gone', traits: '{}', first_seen_at: at, last_seen_at: at, created_at: at, updated_at: at })
    .execute();
});

/** The statements on journey_runs that `work` sends, and all their plan lines. */
async function runsPlans(
  work: (db: DB) => Promise<unknown>,
): Promise<{ statements: PlannedStatement[]; lines: string[] }> {
  const statements = (await plansOf(db, work)).filter((s) => /"journey_runs"/.test(s.sql));
  expect(statements.length).toBeGreaterThan(0);
  return { statements, lines: statements.flatMap((s) => s.details) };
}

describe("the runs' statements use their indexes (SQLite plans)", () => {
  it.each([
    ['profilesDue', 'journey_runs_due', (d: DB) => profilesDue(d, new Date(), 0)],
    ['loadRunsOf', 'journey_runs_person', (d: DB) => loadRunsOf(d, ['cus_a', 'anon-a'])],
    ['rekeyRuns', 'journey_runs_person', (d: DB) => rekeyRuns(d)],
    ['moveRuns', 'journey_runs_person', (d: DB) => moveRuns(d, 'cus_b', 'cus_a')],
    ['deletePerson', 'journey_runs_person', (d: DB) => deletePerson(d, 'cus_gone')],
    ["a person's runs", 'journey_runs_person', (d: DB) => recentRuns(d, { profileId: 'cus_a' })],
  ])('%s reads runs through %s', async (_, index, work) => {
    const { statements, lines } = await runsPlans(work);
    expect(lines.some((d) => d.includes(`INDEX ${index} `) || d.endsWith(`INDEX ${index}`))).toBe(true);
    expect(statements.flatMap((s) => scansOf(s, ['journey_runs']))).toEqual([]);
  });

  // A pass reads the runs in flight whose time has come (a range of journey_runs_due each: those with no due time,
  // those due by now), and those of the profiles touched since the last pass by person: never every run in flight.
  it('profilesDue reads each range of runs through its index', async () => {
    const { statements } = await runsPlans((d) => profilesDue(d, new Date(), 0));
    const runIndex = (s: PlannedStatement) =>
      s.details.map((d) => /^(?:SEARCH|SCAN) r USING (?:COVERING )?INDEX (\w+)/.exec(d)?.[1]).find(Boolean);
    expect(statements.map(runIndex)).toEqual(['journey_runs_due', 'journey_runs_due', 'journey_runs_person']);
  });

  // Newest first a page at a time: a walk of journey_runs_recent that stops after the page. The journey filter is
  // read from the index (it carries journey_id), so a journey with few runs costs an index walk, not a row each.
  it.each([
    ['the latest runs', {}],
    ['a later page', { cursor: encodeCursor(['2026-01-01T00:00:00.000Z', 'x']) }],
    ["a journey's runs", { journeyId: 'browse-recovery' }],
  ])('%s walk journey_runs_recent in order, sorting nothing', async (_, filter) => {
    const { lines } = await runsPlans((d) => recentRuns(d, filter));
    const runLines = lines.filter((d) => /\bjourney_runs\b/.test(d));
    expect(runLines).toHaveLength(1);
    expect(runLines[0]).toMatch(/^(SCAN|SEARCH) journey_runs USING INDEX journey_runs_recent\b/);
    expect(lines.filter((d) => d.includes('TEMP B-TREE'))).toEqual([]);
  });
});
