// Which Chromium the e2e tests and the demo drive: Playwright's own when installed
// (`npx playwright install chromium`), otherwise the system one (Debian package `chromium`).
import fs from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

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
  try {
    if (fs.existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Playwright throws when its browser registry has no entry; fall through to the system browser.
  }
  const found = SYSTEM_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium found. Run `npx playwright install chromium`, or install the system package (Debian: `apt-get install -y chromium`).',
    );
  }
  return found;
}
