import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Suites that touch the database: they run on SQLite and again on PostgreSQL, with the same assertions. */
const storageSuites = [
  'tests/unit/cdp/{anonymous-visitors,clock,concurrency,contract,cron,deletion-other-people,forward,identity,identity-email-claims,ingest,ingest-permissive,ingest-rate-limit,manual-clock-timestamp,ops-commands,pagination,quality-report,reports,scheduler,semantic-events,user-id-trust}.test.ts',
  'tests/unit/cdp/forward-{outage,order,console,migration,db-errors,shutdown,limits,poison,held}.test.ts',
  'tests/unit/cdp/outbox-migration.test.ts',
  'tests/unit/journeys/journey-{loader,pass,pass-cart-cleared,pass-composer,pass-due,pass-identity,pass-lease,pass-scale,pass-store-failure,pass-window,runs-migration}.test.ts',
  'tests/unit/segments/{loaded-profiles,sql-membership}.test.ts',
  'tests/unit/shop/{customers,sessions,orders,order-discount,order-migration,email-domain-migration,order-outbox,outbox-shutdown,outbox-pause,login-rate-limit,actions-hostile,order-money,order-replay,checkout-identify-order}.test.ts',
  'tests/unit/db/{leases,grouped-transaction}.test.ts',
];
/** Database tests about SQLite itself (its URLs, its existing files). */
const sqliteOnlySuites = [
  'tests/unit/db/{url,sqlite-statements,sqlite-synchronous,sqlite-busy,purge-plans,report-plans}.test.ts',
  'tests/unit/journeys/journey-run-plans.test.ts',
];
/** Races that need two transactions in flight at once, which SQLite's single writer never allows. */
const postgresOnlySuites = [
  'tests/unit/shop/order-race.test.ts',
  'tests/unit/cdp/forward-race.test.ts',
  'tests/unit/db/postgres-timeouts.test.ts',
  'tests/unit/db/claim-plans.test.ts',
  'tests/unit/db/schema-introspector.test.ts',
];
const setupFiles = ['tests/unit/support/database-setup.ts'];
/** Files share a worker's packages, each with fresh app modules, environment and singletons (see this file). */
const freshModules = 'tests/unit/support/fresh-modules.ts';

/** How the unit tests resolve the app's imports (also the fixture runs of tests/unit/scripts). */
export const unitTestResolve = {
  alias: {
    '@': fileURLToPath(new URL('./', import.meta.url)),
    // `server-only` throws outside a React Server Components bundle; in unit tests it is a no-op.
    'server-only': fileURLToPath(new URL('./tests/unit/support/server-only.ts', import.meta.url)),
  },
};

export default defineConfig({
  resolve: unitTestResolve,
  test: {
    environment: 'node',
    testTimeout: 20_000,
    // Hooks set up what tests then use, under the same load (two workers beside a build or the e2e servers): the
    // same limit, not vitest's 10 s. journey-pass-composer's 802 calls on PostgreSQL take 4-5 s on a quiet machine.
    hookTimeout: 20_000,
    // One worker loads the packages once for all its files instead of once per file: about half the CPU of these
    // tests. tests/unit/support/fresh-modules.ts gives each file what a new process would (it runs first).
    isolate: false,
    // At least two files at a time: a worker spends about half its time waiting (PostgreSQL, timers, servers), so
    // one worker (vitest's default on two cores) left the unit lane of `npm test` at 249 s for 124 s of CPU; two
    // took it to about 150 s. Each file has its own databases (tests/unit/support/database.ts).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // Vitest allows `.only` unless it detects CI: a stray one would hide every other test. Never allowed.
    allowOnly: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          setupFiles: [freshModules],
          exclude: [...storageSuites, ...sqliteOnlySuites, ...postgresOnlySuites],
        },
      },
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: [...storageSuites, ...sqliteOnlySuites],
          setupFiles: [freshModules, ...setupFiles],
        },
      },
      {
        // PostgreSQL from TEST_DATABASE_URL or a throwaway server (scripts/postgres.mjs); skipped with the reason
        // when neither is possible.
        extends: true,
        test: {
          name: 'postgres',
          include: [...storageSuites, ...postgresOnlySuites],
          env: { TEST_DB: 'postgres' },
          globalSetup: ['tests/unit/support/postgres-global-setup.ts'],
          setupFiles: [freshModules, ...setupFiles],
        },
      },
    ],
  },
});
