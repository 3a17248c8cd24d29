import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// A machine running `npm test` daily filled /tmp: every e2e run left its servers' databases (glowlab-e2e-*), and a
// unit file outside the storage projects its database folder (glowlab-unit-*). Now a run removes them, unless it
// failed: then they are kept for a person to look into, and the run says where. Real runs of both runners on tiny
// fixtures (fixtures/temp-folders), each with a temporary folder of its own (TMPDIR) to look into afterwards.
const fixtures = 'tests/unit/scripts/fixtures/temp-folders';
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function run(runner: 'playwright' | 'vitest', fail: boolean) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-folders-test-'));
  made.push(tmp);
  const [cli, args] =
    runner === 'playwright'
      ? ['node_modules/@playwright/test/cli.js', ['test', '--config', `${fixtures}/playwright.config.ts`]]
      : ['node_modules/vitest/vitest.mjs', ['run', '--config', `${fixtures}/vitest.config.mts`]];
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, FIXTURE_OUTPUT_DIR: path.join(tmp, 'results') };
  // As a fresh run: no folder chosen by a parent run, not in a vitest worker.
  for (const name of ['E2E_DATA_DIR', 'E2E_DATA_DIR_MADE', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'TEST'])
    delete env[name];
  if (fail) env.FIXTURE_FAIL = '1';
  const result = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  const output = `${result.stdout}${result.stderr}`;
  const left = fs.readdirSync(tmp).filter((name) => /^glowlab-(e2e|unit)-/.test(name));
  return { status: result.status, output, left: left.map((name) => path.join(tmp, name)) };
}

const runs = [
  {
    runner: 'playwright' as const,
    what: 'the e2e run’s database folder (glowlab-e2e-*)',
    kept: (dir: string) => `The run failed: its servers' databases are kept in ${dir}`,
  },
  {
    runner: 'vitest' as const,
    what: 'a unit file’s database folder (glowlab-unit-*)',
    kept: (dir: string) => `a test in database-folder.fixture.ts failed: its database folder is kept in ${dir}`,
  },
];

describe.each(runs)('$what', ({ runner, kept }) => {
  it('is removed when the run passes', () => {
    const { status, output, left } = run(runner, false);
    expect(status, output).toBe(0);
    expect(left).toEqual([]);
  });

  it('is kept when the run fails, and the run says where', () => {
    const { status, output, left } = run(runner, true);
    expect(status, output).toBe(1);
    expect(left).toHaveLength(1);
    expect(fs.readdirSync(left[0]!)).toEqual(['shop.db']);
    expect(output).toContain(kept(left[0]!));
  });
});
