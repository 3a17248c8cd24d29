import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * A production server of the main app as the e2e suites run it: its own fresh database (`file:<path>` for
 * SQLite, or a PostgreSQL URL), a manual pipeline clock, strict tracking and the e2e ops token and write keys.
 * Used by playwright.config.ts and by the example shop's suite (tests/example), whose pipeline it is.
 */
export function pipelineServer(port: number, databaseUrl: string, extra: Record<string, string> = {}) {
  return {
    command: `node node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
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
