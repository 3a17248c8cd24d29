import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { playwrightSkips, printSkips } from '../../../scripts/skipped-tests.mjs';

// A real Playwright run (fixtures/dependency-failed): project `first` fails one test and skips one without a reason;
// project `after` depends on `first`, so Playwright never starts it. The report is what `npm test` reads.
type Report = { stats: { unexpected: number }; suites: unknown[] };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-skips-'));
let report: Report;

beforeAll(async () => {
  const file = path.join(dir, 'report.json');
  const run = promisify(execFile)(
    process.execPath,
    [
      'node_modules/@playwright/test/cli.js',
      'test',
      '--config',
      'tests/unit/scripts/fixtures/dependency-failed/playwright.config.mjs',
    ],
    { env: { ...process.env, FIXTURE_FAIL: '1', FIXTURE_REPORT: file, FIXTURE_OUTPUT_DIR: path.join(dir, 'out') } },
  );
  await expect(run).rejects.toMatchObject({ code: 1 }); // the failing test fails the run
  report = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const quietly = <T>(fn: () => T) => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    return fn();
  } finally {
    log.mockRestore();
  }
};

describe('skipped tests in a Playwright report', () => {
  it('says a test was not run because a project it depends on failed, and does not count it as unexplained', () => {
    const skips = playwrightSkips(report);
    expect(skips).toEqual([
      {
        runner: 'playwright',
        name: 'tests/unit/scripts/fixtures/dependency-failed/first.spec.mjs › is skipped without a reason',
        reason: null,
      },
      {
        runner: 'playwright',
        name: 'tests/unit/scripts/fixtures/dependency-failed/after.spec.mjs › runs once first has passed',
        reason: 'not run: a project it depends on failed (`first` had a failed test)',
        notRun: true,
      },
    ]);
    // Only the skip without a reason is unexplained; the failure is counted by itself (npm test adds `unexpected`).
    expect(quietly(() => printSkips(skips))).toBe(1);
    expect(report.stats.unexpected).toBe(1);
  });

  it('a test never started while no other project failed stays unexplained', () => {
    // The same report with the failure turned into a pass: nothing explains why `after` did not run.
    const passed = JSON.parse(JSON.stringify(report).replaceAll('"status":"unexpected"', '"status":"expected"'));
    const skips = playwrightSkips(passed);
    expect(skips.map((s) => [s.name.split(' › ').at(-1), s.reason])).toEqual([
      ['is skipped without a reason', null],
      ['runs once first has passed', null],
    ]);
    expect(quietly(() => printSkips(skips))).toBe(2);
  });
});
