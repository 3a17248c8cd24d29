import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PlaywrightTestConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../../scripts/chromium.mjs';
import { freePortSync } from '../../../scripts/free-port.mjs';

// A config is evaluated in the runner and again in each worker: values chosen here are put in process.env so
// every process sees the same ports, database folder and secrets.
process.env.E2E_PORT ??= String(freePortSync());
process.env.E2E_OPTIN_PORT ??= String(freePortSync());
if (!process.env.E2E_DATA_DIR) {
  process.env.E2E_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-e2e-'));
  // Made for this run: removed when it ends, unless it failed (DATA_DIR_REPORTER).
  process.env.E2E_DATA_DIR_MADE = process.env.E2E_DATA_DIR;
}
process.env.E2E_OPS_TOKEN ??= 'e2e-ops-token-0123456789';
process.env.E2E_WRITE_KEY ??= 'e2e-write-key';
process.env.E2E_SERVER_WRITE_KEY ??= 'e2e-server-write-key-0123456789';

/** The reporter every suite adds: the run's database folder goes when the run passes (data-dir-reporter.ts). */
export const DATA_DIR_REPORTER: [string] = [path.join(__dirname, 'data-dir-reporter.ts')];

/**
 * What every browser suite shares: the e2e suite (playwright.config.ts) and the example shop's
 * (tests/example). Each adds its own folder, projects and servers; only the e2e suite starts PostgreSQL.
 */
export const baseConfig = {
  // The pipeline clock is shared by the whole server, so tests that move it must not overlap.
  workers: 1,
  fullyParallel: false,
  // A stray test.only would run one spec and report success: focused tests fail the run, everywhere.
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    // A failed test keeps its trace: every action with its log, the network and the console. Not the DOM
    // snapshots before and after each action: taking them for every test cost about a third of the suite's CPU.
    trace: { mode: 'retain-on-failure', screenshots: false, snapshots: false },
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_ARGS },
  },
} satisfies PlaywrightTestConfig;
