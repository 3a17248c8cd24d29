// Which Chromium the e2e tests and the demo drive (both headless): Playwright's own when installed
// (`npx playwright install chromium`), otherwise a system one. scripts/ensure-browser.mjs installs one when none is
// there.
import fs from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * The headless shell first (Debian package `chromium-headless-shell`): it is what Playwright's own install runs
 * headless tests in, and it takes about half the CPU of the full browser in headless mode (the e2e suite's
 * storefront and shop-pages specs: 66 s of CPU against 123 s, same minute).
 */
export const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
const SYSTEM_CANDIDATES = [HEADLESS_SHELL, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** What to do when there is none, in one sentence. */
export const NO_CHROMIUM =
  'No Chromium for the end-to-end tests: install one with `npx playwright install chromium` (or your system package, e.g. `apt-get install -y chromium-headless-shell` on Debian) and run `npm test` again.';

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
