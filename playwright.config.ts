import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { freePortSync } from './scripts/free-port.mjs';
import { createDatabaseSync, providePostgres } from './scripts/postgres.mjs';
import { baseConfig, DATA_DIR_REPORTER } from './tests/e2e/support/base-config';
import { E2E_KEEP_ALIVE_MS, pipelineServer } from './tests/e2e/support/pipeline-server';

process.env.E2E_CRON_SECRET ??= 'e2e-cron-secret-0123456789';

// The `postgres` project: two instances on one PostgreSQL database behind a round-robin balancer
// (TEST_DATABASE_URL, or a throwaway server; see scripts/postgres.mjs). Chosen once, in the runner.
if (!process.env.E2E_PG_DATABASE_URL && !process.env.E2E_PG_SKIPPED) {
  const server = providePostgres();
  if ('skipped' in server) process.env.E2E_PG_SKIPPED = server.skipped;
  else {
    process.env.E2E_PG_SERVER_URL = server.url;
    process.env.E2E_PG_DATABASE_URL = createDatabaseSync(server.url, 'glowlab_e2e');
    for (const name of ['E2E_PG_A_PORT', 'E2E_PG_B_PORT', 'E2E_PG_PROXY_PORT', 'E2E_CIO_PORT'])
      process.env[name] = String(freePortSync());
  }
}

const port = Number(process.env.E2E_PORT);
const optInPort = Number(process.env.E2E_OPTIN_PORT);
const dataDir = process.env.E2E_DATA_DIR!;
const pgUrl = process.env.E2E_PG_DATABASE_URL;
const local = (p: string | undefined) => `http://127.0.0.1:${p}`;
const proxyUrl = local(process.env.E2E_PG_PROXY_PORT);

/** What README "Deploy" asks of every instance sharing one database: the same secrets, URL and upstream. */
const sharedInstanceEnv = {
  APP_URL: proxyUrl,
  APP_SECRET: 'e2e-app-secret-shared-by-instances',
  CRON_SECRET: process.env.E2E_CRON_SECRET!,
  // Jobs run when /api/cron/tick is called (the serverless set-up), so the spec decides when a tick happens.
  CDP_SCHEDULER: 'off',
  CIO_WRITE_KEY: 'e2e-cio-write-key',
  CIO_API_HOST: local(process.env.E2E_CIO_PORT),
};
const helper = (script: string, p: string | undefined, env: Record<string, string>, ready = '/') => ({
  command: `node tests/e2e/support/${script}`,
  url: `${local(p)}${ready}`,
  reuseExistingServer: false,
  env: { PORT: p!, ...env },
});
const postgresServers = pgUrl
  ? [
      pipelineServer(Number(process.env.E2E_PG_A_PORT), pgUrl, sharedInstanceEnv),
      pipelineServer(Number(process.env.E2E_PG_B_PORT), pgUrl, sharedInstanceEnv),
      helper('fake-customerio.mjs', process.env.E2E_CIO_PORT, {}, '/received'),
      helper('round-robin.mjs', process.env.E2E_PG_PROXY_PORT, {
        TARGETS: [local(process.env.E2E_PG_A_PORT), local(process.env.E2E_PG_B_PORT)].join(','),
        KEEP_ALIVE_MS: String(E2E_KEEP_ALIVE_MS),
      }),
    ]
  : [];
// What must give the same results on PostgreSQL with two instances as on SQLite with one: the cart-recovery demo
// and the stitched guest order (the same tests, run again through the balancer), and the two-instance spec.
const postgresSpecs = ['**/cart-recovery.spec.ts', '**/tracking-identity.spec.ts', '**/two-instances.spec.ts'];
const postgresTests = /the demo: lookback|guest checkout identifies the buyer|two-instances\.spec/;

// Specs that never read the shared pipeline's clock-dependent state (stitching windows, journeys): the shop's
// pages, and specs with a server of their own. They run beside the pipeline specs, which move the shared manual
// clock one at a time, and beside each other: whichever worker is free takes the next one.
const independentSpecs = [
  'accessibility',
  'account',
  'checkout',
  'checkout-account-change',
  'checkout-trust',
  'email-capture',
  'ingest-spool',
  'journey-shutdown',
  'session-cookie',
  'shop-feedback',
  'shop-links',
  'shop-pages',
  'shop-search',
  'shutdown-drain',
  'storefront',
  'tracking-page-views',
].map((name) => `**/${name}.spec.ts`);
// Specs that read the shared server's totals (every event stored, every event's plan check) run last, alone:
// the consent specs' "nothing stored since Decline" and the tracking-plan check once every event was sent.
const lastSpecs = ['**/consent-decline.spec.ts', '**/consent-privacy-choices.spec.ts', '**/zz-plan-quality.spec.ts'];

export default defineConfig({
  ...baseConfig,
  testDir: './tests/e2e',
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }], DATA_DIR_REPORTER],
  globalTeardown: './tests/e2e/support/postgres-teardown.ts',
  use: { ...baseConfig.use, baseURL: local(String(port)) },
  // Two workers, each taking the first queued spec its project allows: the clock-moving `chromium` specs and the
  // `postgres` ones one at a time each (listed first, so their long serial runs start at once), `independent`
  // specs on any free worker, so both stay busy to the end.
  workers: 2,
  projects: [
    {
      name: 'chromium',
      use: { browserName: 'chromium' },
      testIgnore: ['**/two-instances.spec.ts', ...independentSpecs, ...lastSpecs],
      workers: 1,
    },
    {
      name: 'postgres',
      use: { browserName: 'chromium', baseURL: proxyUrl },
      // Without PostgreSQL its tests are still listed, each skipped with the reason (rerunOnPostgres).
      testMatch: postgresSpecs,
      grep: postgresTests,
      workers: 1,
      metadata: { databaseUrl: pgUrl },
    },
    { name: 'independent', use: { browserName: 'chromium' }, testMatch: independentSpecs, workers: 2 },
    {
      name: 'last',
      use: { browserName: 'chromium' },
      testMatch: lastSpecs,
      dependencies: ['chromium', 'independent'],
      workers: 1,
    },
  ],
  // One production server per consent mode, each with its own fresh SQLite database and a manual pipeline clock;
  // with PostgreSQL, the two instances of the `postgres` project, its Customer.io stand-in and its balancer.
  webServer: [
    pipelineServer(port, `file:${path.join(dataDir, 'shop.db')}`),
    pipelineServer(optInPort, `file:${path.join(dataDir, 'optin.db')}`, { CONSENT_MODE: 'opt-in' }),
    ...postgresServers,
  ],
});
