import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from './scripts/chromium.mjs';
import { freePortSync } from './scripts/free-port.mjs';
import { pipelineServer } from './tests/e2e/support/pipeline-server';

// The config is evaluated in the runner and again in each worker: values chosen here are put in
// process.env so every process sees the same ports and database folder.
process.env.E2E_PORT ??= String(freePortSync());
process.env.E2E_OPTIN_PORT ??= String(freePortSync());
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-e2e-'));
process.env.E2E_OPS_TOKEN ??= 'e2e-ops-token-0123456789';
process.env.E2E_WRITE_KEY ??= 'e2e-write-key';
process.env.E2E_SERVER_WRITE_KEY ??= 'e2e-server-write-key-0123456789';

const port = Number(process.env.E2E_PORT);
const optInPort = Number(process.env.E2E_OPTIN_PORT);
const dataDir = process.env.E2E_DATA_DIR;

export default defineConfig({
  testDir: './tests/e2e',
  // The pipeline clock is shared by the whole server, so tests that move it must not overlap.
  workers: 1,
  fullyParallel: false,
  // A stray test.only would run one spec and report success: focused tests fail the run, everywhere.
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  // One production server per consent mode, each with its own fresh database and a manual pipeline clock.
  webServer: [
    pipelineServer(port, path.join(dataDir, 'shop.db')),
    pipelineServer(optInPort, path.join(dataDir, 'optin.db'), { CONSENT_MODE: 'opt-in' }),
  ],
});
