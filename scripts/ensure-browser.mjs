// Makes sure there is a Chromium for the e2e tests and `npm run demo`, so `npm ci && npm test` needs only Node.
// In order: one already installed (scripts/chromium.mjs); Playwright's own download, which works on ordinary
// machines (time-bounded, quiet when it fails: e.g. no route to its CDN); Debian's `chromium-headless-shell` package
// when running as root; otherwise one sentence saying what to install. `node scripts/ensure-browser.mjs` exits 0
// when a browser is ready, 1 otherwise.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { findChromium, HEADLESS_SHELL, NO_CHROMIUM } from './chromium.mjs';

const PLAYWRIGHT_INSTALL_TIMEOUT_MS = 5 * 60_000;
const APT_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs a command with its output captured; resolves `{ ok, output }`. On timeout the whole process group is
 * killed (Playwright downloads in a child process of its own).
 */
function runQuietly(cmd, args, { timeoutMs, env = process.env }) {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ ok: false, output: String(error) });
      return;
    }
    const collect = (chunk) => (output = (output + chunk).slice(-20_000));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (error) => collect(String(error)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0 && !timedOut, output: timedOut ? `timed out after ${timeoutMs / 1000}s` : output });
    });
  });
}

/** The line of a command's output that says what went wrong. */
const reasonFrom = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .find((l) => /error|fail|timed out/i.test(l)) ?? text.trim().split('\n').pop();

async function playwrightInstall() {
  console.log('No Chromium found: trying `npx playwright install chromium`…');
  const bin = 'node_modules/.bin/playwright';
  const r = await runQuietly(bin, ['install', 'chromium'], { timeoutMs: PLAYWRIGHT_INSTALL_TIMEOUT_MS });
  if (r.ok && findChromium()) return true;
  console.log(`  Playwright's download did not work here (${reasonFrom(r.output)}).`);
  return false;
}

const isDebianRoot = () =>
  process.platform === 'linux' && process.getuid?.() === 0 && fs.existsSync('/etc/debian_version');

/** Installs a Debian package (as root only; time-bounded); resolves whether apt-get succeeded. */
export async function aptInstall(pkg) {
  if (!isDebianRoot()) return false;
  console.log(`Installing Debian's \`${pkg}\` package (apt-get, as root)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', pkg],
  ]) {
    const r = await runQuietly('apt-get', args, { timeoutMs: APT_TIMEOUT_MS, env });
    if (!r.ok) {
      console.log(`  apt-get ${args[0]} failed: ${reasonFrom(r.output)}`);
      return false;
    }
  }
  return true;
}

/** Playwright's own browser or the headless shell: what headless tests should run in. */
const isHeadlessBuild = (found) => found.bundled || found.path === HEADLESS_SHELL;

/**
 * Resolves true when a Chromium is ready (installing one if needed); prints one sentence and resolves false otherwise.
 * A full system browser alone (Debian's `chromium`, which the Lighthouse benchmark installs) is used only when the
 * headless shell cannot be had: it takes about twice the shell's CPU, which made the e2e step take 449 s against
 * ~230 s on this 2-core machine.
 */
export async function ensureChromium() {
  const found = findChromium();
  if (found && isHeadlessBuild(found)) return true;
  if (!found && (await playwrightInstall())) return true;
  if ((await aptInstall('chromium-headless-shell')) && findChromium()) return true;
  if (found) return true;
  console.error(NO_CHROMIUM);
  return false;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ready = await ensureChromium();
  if (ready) {
    const found = findChromium();
    console.log(`Chromium: ${found.bundled ? "Playwright's" : 'system'} (${found.path})`);
    if (!isHeadlessBuild(found))
      console.log(`  The headless shell takes about half its CPU: \`apt-get install -y chromium-headless-shell\`.`);
  }
  process.exit(ready ? 0 : 1);
}
