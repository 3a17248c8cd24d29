// Which Chromium the e2e tests and the demo drive: Playwright's own when installed
// (`npx playwright install chromium`), otherwise the system one (Debian package `chromium`).
// scripts/ensure-browser.mjs installs one when neither is there.
import fs from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** What to do when there is none, in one sentence. */
export const NO_CHROMIUM =
  'No Chromium for the end-to-end tests: install one with `npx playwright install chromium` (or your system package `chromium`, e.g. `apt-get install -y chromium` on Debian) and run `npm test` again.';

/** Playwright's browser when it is installed, else the first system browser found, else null. */
export function findChromium() {
  try {
    if (fs.existsSync(chromium.executablePath())) return { bundled: true, path: chromium.executablePath() };
  } catch {
    // Playwright throws when its browser registry has no entry; fall through to the system browser.
  }
  const found = SYSTEM_CANDIDATES.find((p) => fs.existsSync(p));
  return found ? { bundled: false, path: found } : null;
}

/** Flags for running as root in a sandboxed container with no network but loopback (see DESIGN.md §2). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `undefined` means "Playwright's bundled browser"; a path means the system browser. */
export function chromiumExecutable() {
  const found = findChromium();
  if (!found) throw new Error(NO_CHROMIUM);
  return found.bundled ? undefined : found.path;
}
