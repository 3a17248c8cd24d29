import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './scripts/chromium.mjs';
import { freePortSync } from './scripts/free-port.mjs';
import { createDatabaseSync, providePostgres } from './scripts/postgres.mjs';

// The config is evaluated in the runner and again in each worker: values chosen here are put in
// process.env so every process sees the same ports and database folder.
process.env.E2E_PORT ??= String(freePortSync());
process.env.E2E_OPTIN_PORT ??= String(freePortSync());
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-e2e-'));
process.env.E2E_OPS_TOKEN ??= 'e2e-ops-token-0123456789';
process.env.E2E_WRITE_KEY ??= 'e2e-write-key';
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
const dataDir = process.env.E2E_DATA_DIR;
const pgUrl = process.env.E2E_PG_DATABASE_URL;
const local = (p: string | undefined) => `http://127.0.0.1:${p}`;
const proxyUrl = local(process.env.E2E_PG_PROXY_PORT);

/** One production server per consent mode, each with its own fresh database and a manual pipeline clock. */
function server(p: number, name: string, extra: Record<string, string> = {}) {
  return {
    command: `node node_modules/next/dist/bin/next start -p ${p} -H 127.0.0.1`,
    url: `http://127.0.0.1:${p}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: {
      DATABASE_URL: `file:${path.join(dataDir, `${name}.db`)}`,
      APP_URL: `http://127.0.0.1:${p}`,
      CDP_CLOCK: 'manual',
      OPS_TOKEN: process.env.E2E_OPS_TOKEN!,
      CDP_WRITE_KEY: process.env.E2E_WRITE_KEY!,
      TRACKING_STRICT: 'true',
      ...extra,
    },
  };
}

/** What README "Deploy" asks of every instance sharing one database: the same secrets, URL and upstream. */
const sharedInstanceEnv = {
  DATABASE_URL: pgUrl!,
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
      server(Number(process.env.E2E_PG_A_PORT), 'pg-a', sharedInstanceEnv),
      server(Number(process.env.E2E_PG_B_PORT), 'pg-b', sharedInstanceEnv),
      helper('fake-customerio.mjs', process.env.E2E_CIO_PORT, {}, '/received'),
      helper('round-robin.mjs', process.env.E2E_PG_PROXY_PORT, {
        TARGETS: [local(process.env.E2E_PG_A_PORT), local(process.env.E2E_PG_B_PORT)].join(','),
      }),
    ]
  : [];
// What must give the same results on PostgreSQL with two instances as on SQLite with one: the cart-recovery demo
// and the stitched guest order (the same tests, run again through the balancer), and the two-instance spec.
const postgresSpecs = ['**/cart-recovery.spec.ts', '**/tracking-identity.spec.ts', '**/two-instances.spec.ts'];
const postgresTests = /the demo: lookback|guest checkout identifies the buyer|two-instances\.spec/;

export default defineConfig({
  testDir: './tests/e2e',
  // The pipeline clock is shared by the whole server, so tests that move it must not overlap.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  globalTeardown: './tests/e2e/support/postgres-teardown.ts',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'chromium', use: { browserName: 'chromium' }, testIgnore: '**/two-instances.spec.ts' },
    {
      name: 'postgres',
      use: { browserName: 'chromium', baseURL: proxyUrl },
      // Without PostgreSQL only the two-instance spec is listed, each of its tests skipped with the reason.
      testMatch: pgUrl ? postgresSpecs : '**/two-instances.spec.ts',
      grep: postgresTests,
      metadata: { databaseUrl: pgUrl },
    },
  ],
  webServer: [server(port, 'shop'), server(optInPort, 'optin', { CONSENT_MODE: 'opt-in' }), ...postgresServers],
});
