// `npm test`: everything a change can break — lint, type check, unit tests, production build, e2e —
// then one closing line `N passed, N failed, N skipped` summed over vitest and Playwright.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { providePostgres } from './postgres.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const results = 'test-results';
fs.rmSync(results, { recursive: true, force: true });
fs.mkdirSync(results, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function run(name, cmd, args) {
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
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

run('lint', bin('eslint'), ['.', '--max-warnings=0']);
run('format', bin('prettier'), ['--check', '.']);
run('typecheck', bin('tsc'), ['--noEmit']);

// The storage suites and the two-instance e2e run also go on PostgreSQL (scripts/postgres.mjs): one server for
// the whole run, stopped when this script exits; without one they are reported as skipped, with the reason.
const postgres = providePostgres({ install: true });
if ('skipped' in postgres) process.env.TEST_POSTGRES_SKIPPED = postgres.skipped;
else process.env.TEST_DATABASE_URL = postgres.url;

run('unit', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${results}/vitest.json`]);
const unit = readJson(`${results}/vitest.json`);
if (unit) {
  totals.passed += unit.numPassedTests ?? 0;
  totals.failed += unit.numFailedTests ?? 0;
  totals.skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
}

if (run('build', bin('next'), ['build'])) {
  run('e2e', bin('playwright'), ['test']);
  const e2e = readJson(`${results}/playwright.json`);
  if (e2e?.stats) {
    totals.passed += (e2e.stats.expected ?? 0) + (e2e.stats.flaky ?? 0);
    totals.failed += e2e.stats.unexpected ?? 0;
    totals.skipped += e2e.stats.skipped ?? 0;
  }
} else {
  failedSteps.push('e2e (not run: build failed)');
}

// A step that failed without failing a test (lint, types, build, a crashed runner) still fails the run.
const stepFailures = failedSteps.length > 0 && totals.failed === 0 ? 1 : 0;
if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
if ('skipped' in postgres) console.log(`\nPostgreSQL suites skipped: ${postgres.skipped}`);
console.log(`\n${totals.passed} passed, ${totals.failed + stepFailures} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
