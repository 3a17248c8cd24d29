// `npm test`: everything a change can break — lint, type check, unit tests, production build, the fuzz suite, the
// benchmark smoke run, e2e, the copy test of lib/tracking (scripts/example-shop.mjs) — then every skipped test with its reason and one
// closing line `N passed, N failed, N skipped` summed over vitest and Playwright. Needs only Node: a missing
// Chromium is installed first (scripts/ensure-browser.mjs), and PostgreSQL is a throwaway server from the installed
// binaries (scripts/postgres.mjs) or TEST_DATABASE_URL. Focused tests (`.only`) fail in both runners (their
// configs), and so does a skip that gives no reason.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { providePostgres } from './postgres.mjs';
import { playwrightSkips, printSkips, vitestSkips } from './skipped-tests.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const results = 'test-results';
fs.rmSync(results, { recursive: true, force: true });
fs.mkdirSync(results, { recursive: true });

const startedAt = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function run(name, cmd, args) {
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${seconds(started)})`);
  if (!ok) failedSteps.push(name);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const bin = (name) => `node_modules/.bin/${name}`;

// Set-up first: a machine that cannot get a browser learns it at once, and the checks below still run.
const browser = run('browser', process.execPath, ['scripts/ensure-browser.mjs']);
// The storage suites and the two-instance e2e run also go on PostgreSQL (scripts/postgres.mjs): one server for
// the whole run, stopped when this script exits. Without one, each of those tests is skipped with the reason
// and listed with the other skips at the end.
const postgres = providePostgres({ install: true });
if ('skipped' in postgres) process.env.TEST_POSTGRES_SKIPPED = postgres.skipped;
else process.env.TEST_DATABASE_URL = postgres.url;
const postgresSource = process.env.TEST_DATABASE_THROWAWAY ? 'a throwaway server' : 'TEST_DATABASE_URL';
console.log(
  'skipped' in postgres
    ? `\nPostgreSQL: none, so its tests are skipped (${postgres.skipped})`
    : `\nPostgreSQL: ${postgresSource} on ${new URL(postgres.url).host}`,
);
run('lint', bin('eslint'), ['.', '--max-warnings=0']);
run('format', bin('prettier'), ['--check', '.']);
run('typecheck', bin('tsc'), ['--noEmit']);

const skips = [];

/**
 * A vitest run whose counts and skips join the totals. Its reports are read at once: Playwright empties
 * test-results/ (its output folder) when it starts.
 */
function runVitest(name, args = []) {
  run(name, bin('vitest'), [
    'run',
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${results}/${name}.json`,
    '--reporter=./scripts/vitest-skips-reporter.mjs',
    `--outputFile.skips=${results}/${name}-skips.json`,
  ]);
  const report = readJson(`${results}/${name}.json`);
  if (report) {
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += report.numFailedTests ?? 0;
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
  skips.push(...vitestSkips(`${results}/${name}-skips.json`));
}

runVitest('unit');

/** Adds a Playwright JSON report's counts to the totals and its skips to the list. */
function countPlaywright(file) {
  const report = readJson(file);
  const stats = report?.stats;
  if (!stats) return;
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
  skips.push(...playwrightSkips(report));
}

const built = run('build', bin('next'), ['build']);
// First-load JS of every storefront route against its budget, from this build's manifests (prints the table).
if (built) run('size budget', process.execPath, ['scripts/size-budget.mjs']);
// Hostile input against this build over HTTP (tests/fuzz): never a 5xx, never a hang.
if (built) runVitest('fuzz', ['--config', 'tests/fuzz/vitest.config.mts']);
else failedSteps.push('fuzz (not run: build failed)');
// The benchmark suite at tiny sizes (scripts/bench): keeps every module running; its timings are printed only.
if (built) run('bench smoke', process.execPath, ['scripts/bench/index.mjs', '--smoke']);
else failedSteps.push('bench smoke (not run: build failed)');
if (built && browser) {
  run('e2e', bin('playwright'), ['test']);
  countPlaywright(`${results}/playwright.json`);
  // lib/tracking/README.md's copy instructions, followed into a second app that posts to this build's pipeline.
  run('example shop', process.execPath, ['scripts/example-shop.mjs']);
  countPlaywright(`${results}/example-playwright.json`);
} else {
  failedSteps.push(`e2e and example shop (not run: ${built ? 'no Chromium' : 'build failed'})`);
}

if (printSkips(skips) > 0) failedSteps.push('skipped tests without a reason');

// A step that failed without failing a test (lint, types, build, a crashed runner, an unexplained skip)
// still fails the run.
const stepFailures = failedSteps.length > 0 && totals.failed === 0 ? 1 : 0;
if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
console.log(`\nTotal time ${seconds(startedAt)}`);
console.log(`${totals.passed} passed, ${totals.failed + stepFailures} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
