import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * How long the e2e servers keep an idle connection open: longer than any test. Playwright's request context reuses
 * a pooled connection however long it was idle, ignoring the server's `Keep-Alive: timeout=5` (microsoft/playwright
 * #42698), so a spec's first API call after 5 s of browsing could meet the server's close and fail with ECONNRESET
 * (seen once in a fresh-clone run).
 */
export const E2E_KEEP_ALIVE_MS = 600_000;

/**
 * A production server of the main app as the e2e suites run it: its own fresh database (`file:<path>` for
 * SQLite, or a PostgreSQL URL), a manual pipeline clock, strict tracking and the e2e ops token and write keys.
 * Used by playwright.config.ts and by the example shop's suite (tests/example), whose pipeline it is.
 */
export function pipelineServer(port: number, databaseUrl: string, extra: Record<string, string> = {}) {
  return {
    // scripts/serve.mjs, what `npm start` runs: the ingest API answered before Next.js, the rest by Next.js.
    command: `node scripts/serve.mjs -p ${port} -H 127.0.0.1 --keepAliveTimeout ${E2E_KEEP_ALIVE_MS}`,
    cwd: ROOT,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: {
      DATABASE_URL: databaseUrl,
      APP_URL: `http://127.0.0.1:${port}`,
      CDP_CLOCK: 'manual',
      OPS_TOKEN: process.env.E2E_OPS_TOKEN!,
      CDP_WRITE_KEY: process.env.E2E_WRITE_KEY!,
      CDP_SERVER_WRITE_KEY: process.env.E2E_SERVER_WRITE_KEY!,
      TRACKING_STRICT: 'true',
      ...extra,
    },
  };
}
