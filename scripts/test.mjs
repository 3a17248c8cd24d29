// `npm test`: everything a change can break — lint, type check, unit tests, production build, the fuzz suite, the
// benchmark smoke run, e2e, the copy test of lib/tracking (scripts/example-shop.mjs) — then every skipped test with its reason and one
// closing line `N passed, N failed, N skipped` summed over vitest and Playwright. Needs only Node: a missing
// Chromium is installed first (scripts/ensure-browser.mjs), and PostgreSQL is a throwaway server from the installed
// binaries (scripts/postgres.mjs) or TEST_DATABASE_URL. Focused tests (`.only`) fail in both runners (their
// configs), and so does a skip that gives no reason.
//
// Two lanes share the machine's cores: the unit tests (which wait on PostgreSQL and timers much of the time), then
// lint and Prettier; beside them the type check, the build and what needs only the build; then e2e, which takes
// both cores. The lanes are about even (the build lane is the longer); each step's output is printed when it ends,
// the unit tests' as they run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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

const timings = [];

/**
 * Runs one step; resolves to whether it passed. `buffered` collects its output and prints it when it ends, so a
 * step running beside another does not interleave with it.
 */
function run(name, cmd, args, { buffered = false } = {}) {
  const header = `\n▶ ${name}: ${cmd} ${args.join(' ')}`;
  if (!buffered) console.log(header);
  const started = Date.now();
  const output = [];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: process.env });
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    let ended = false;
    const end = (ok, why = '') => {
      if (ended) return;
      ended = true;
      if (buffered) process.stdout.write(`${header}\n${Buffer.concat(output).toString()}`);
      console.log(`${ok ? '✔' : '✘'} ${name} (${seconds(started)})${why}`);
      timings.push(`${name} ${seconds(started)}`);
      if (!ok) failedSteps.push(name);
      resolve(ok);
    };
    child.on('error', (error) => end(false, `: ${error.message}`));
    child.on('close', (code) => end(code === 0));
  });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const bin = (name) => `node_modules/.bin/${name}`;
/** The arguments `next build` gives tsc (next/dist/lib/typescript/runTypeCheckCli.js), build-info file included. */
const TSC_AS_NEXT_BUILD = [
  '--project',
  path.resolve('tsconfig.json'),
  '--noEmit',
  '--declarationMap',
  'false',
  '--emitDeclarationOnly',
  'false',
  '--tsBuildInfoFile',
  path.resolve('.next/cache/.tsbuildinfo'),
];

// Set-up first: a machine that cannot get a browser learns it at once, and the checks below still run.
const browser = await run('browser', process.execPath, ['scripts/ensure-browser.mjs']);
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
const skips = [];

/**
 * A vitest run whose counts and skips join the totals. Its reports are read at once: Playwright empties
 * test-results/ (its output folder) when it starts.
 */
async function runVitest(name, args = [], options = {}) {
  await run(
    name,
    bin('vitest'),
    [
      'run',
      ...args,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${results}/${name}.json`,
      '--reporter=./scripts/vitest-skips-reporter.mjs',
      `--outputFile.skips=${results}/${name}-skips.json`,
    ],
    options,
  );
  const report = readJson(`${results}/${name}.json`);
  if (report) {
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += report.numFailedTests ?? 0;
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
  skips.push(...vitestSkips(`${results}/${name}-skips.json`));
}

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

const quiet = { buffered: true };

/** The first lane: the unit tests, then the style checks, which need nothing built. */
async function unitThenStyle() {
  await runVitest('unit');
  await run('lint', bin('eslint'), ['.', '--max-warnings=0'], quiet);
  await run('format', bin('prettier'), ['--check', '.'], quiet);
}

/** The second lane: the type check, the build, and the steps that need only the build. Resolves to whether it built. */
async function checksAndBuild() {
  // One type check for both: `next build` checks types again with tsc (the whole project, tests included) unless
  // its build-info file is up to date. So the route types it would write (.next/types) come first, then tsc runs
  // with exactly the flags and build-info file of the build's own check, which then finds nothing changed.
  await run('route types', bin('next'), ['typegen'], quiet);
  await run('typecheck', bin('tsc'), TSC_AS_NEXT_BUILD, quiet);
  const built = await run('build', bin('next'), ['build'], quiet);
  if (!built) {
    failedSteps.push('fuzz, bench smoke, example shop and e2e (not run: build failed)');
    return false;
  }
  // First-load JS of every storefront route against its budget, from this build's manifests (prints the table).
  await run('size budget', process.execPath, ['scripts/size-budget.mjs'], quiet);
  // Hostile input against this build over HTTP (tests/fuzz): never a 5xx, never a hang.
  await runVitest('fuzz', ['--config', 'tests/fuzz/vitest.config.mts'], quiet);
  // The benchmark suite at tiny sizes (scripts/bench): keeps every module running; its timings are printed only.
  await run('bench smoke', process.execPath, ['scripts/bench/index.mjs', '--smoke'], quiet);
  if (browser) {
    // lib/tracking/README.md's copy instructions, followed into a second app that posts to this build's pipeline
    // (its Playwright output is test-results/example, so it leaves the unit tests' reports alone).
    await run('example shop', process.execPath, ['scripts/example-shop.mjs'], quiet);
    countPlaywright(`${results}/example-playwright.json`);
  }
  return true;
}

const [, built] = await Promise.all([unitThenStyle(), checksAndBuild()]);
if (built && browser) {
  // Alone: its two workers take both cores. Playwright empties test-results/ first, so every report above is read.
  await run('e2e', bin('playwright'), ['test']);
  countPlaywright(`${results}/playwright.json`);
} else if (!browser) {
  failedSteps.push('e2e and example shop (not run: no Chromium)');
}

if (printSkips(skips) > 0) failedSteps.push('skipped tests without a reason');

// A step that failed without failing a test (lint, types, build, a crashed runner, an unexplained skip)
// still fails the run.
const stepFailures = failedSteps.length > 0 && totals.failed === 0 ? 1 : 0;
if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
console.log(`\nSteps: ${timings.join(', ')}`);
console.log(`Total time ${seconds(startedAt)}`);
console.log(`${totals.passed} passed, ${totals.failed + stepFailures} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
