// Shared by `npm start` and `npm run demo`: the Next binary, and a production build made once when missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const NEXT_BIN = 'node_modules/next/dist/bin/next';
/** The production server: `next start`'s options, the ingest API answered before Next.js (scripts/serve.mjs). */
export const SERVER_SCRIPT = 'scripts/serve.mjs';

/** Runs `next build` when there is no build yet (or with --rebuild); exits the process if the build fails. */
export function ensureBuild() {
  if (fs.existsSync('.next/BUILD_ID') && !process.argv.includes('--rebuild')) return;
  console.log('No production build yet: running `next build` (about a minute)…');
  const built = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
