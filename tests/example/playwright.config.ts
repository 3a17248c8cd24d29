import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { freePortSync } from '../../scripts/free-port.mjs';
import { documentedEnv, readCopyInstructions } from '../../scripts/tracking-copy.mjs';
import { baseConfig, DATA_DIR_REPORTER } from '../e2e/support/base-config';
import { pipelineServer } from '../e2e/support/pipeline-server';

/**
 * The copy test (run by scripts/example-shop.mjs after it assembled and built the example): the example shop,
 * served by `next start`, sends to the main app's pipeline — another origin — and is asserted through its ops API.
 */
const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE_BUILD = process.env.EXAMPLE_BUILD_DIR;
if (!EXAMPLE_BUILD) throw new Error('EXAMPLE_BUILD_DIR is not set: run `node scripts/example-shop.mjs`');
process.env.EXAMPLE_PORT ??= String(freePortSync());
const pipeline = `http://127.0.0.1:${process.env.E2E_PORT}`;
const shop = `http://127.0.0.1:${process.env.EXAMPLE_PORT}`;
process.env.EXAMPLE_PIPELINE_URL = pipeline;

// Only variables the README's .env.local block documents: the test configures the shop as a user would.
const shopEnv = {
  TRACKING_WRITE_KEY: process.env.E2E_WRITE_KEY!,
  // The pipeline's secret CDP_SERVER_WRITE_KEY (tests/e2e/support/pipeline-server.ts), as its operator hands it over.
  TRACKING_SERVER_WRITE_KEY: process.env.E2E_SERVER_WRITE_KEY!,
  APP_URL: shop,
  TRACKING_INGEST_URL: `${pipeline}/api/cdp/v1`,
  CONSENT_MODE: 'opt-out',
  TRACKING_STRICT: 'true',
};
const documented = documentedEnv(
  readCopyInstructions(fs.readFileSync(path.join(ROOT, 'lib/tracking/README.md'), 'utf8')),
);
const undocumented = Object.keys(shopEnv).filter((name) => !documented.has(name));
if (undocumented.length) throw new Error(`lib/tracking/README.md does not document ${undocumented.join(', ')}`);

export default defineConfig({
  ...baseConfig,
  testDir: '.',
  outputDir: path.join(ROOT, 'test-results/example'),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(ROOT, 'test-results/example-playwright.json') }],
    DATA_DIR_REPORTER,
  ],
  use: { ...baseConfig.use, baseURL: shop },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    pipelineServer(
      Number(process.env.E2E_PORT),
      `file:${path.join(process.env.E2E_DATA_DIR!, 'example-pipeline.db')}`,
      { CDP_ALLOWED_ORIGINS: shop },
    ),
    {
      // The example's own next, from the node_modules scripts/example-shop.mjs installed there.
      command: `node node_modules/next/dist/bin/next start -p ${process.env.EXAMPLE_PORT} -H 127.0.0.1`,
      cwd: EXAMPLE_BUILD,
      url: `${shop}/`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
      stderr: 'pipe',
      env: shopEnv,
    },
  ],
});
