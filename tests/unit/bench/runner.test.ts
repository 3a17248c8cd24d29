import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverModules, parseArgs, renderReport } from '../../../scripts/bench/index.mjs';

describe('the benchmark runner', () => {
  it('runs every module beside it that exports bench, in name order, and nothing else', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-bench-runner-'));
    fs.writeFileSync(path.join(dir, 'zeta.mjs'), 'export async function bench() { return { title: "Z" }; }');
    fs.writeFileSync(path.join(dir, 'alpha.mjs'), 'export async function bench() { return { title: "A" }; }');
    fs.writeFileSync(path.join(dir, 'helper.mjs'), 'export const notABench = 1;');
    fs.writeFileSync(path.join(dir, 'index.mjs'), 'export async function bench() { throw new Error("runner"); }');
    const modules = await discoverModules(dir);
    expect(modules.map((m) => m.name)).toEqual(['alpha', 'zeta']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads --smoke and --only', () => {
    expect(parseArgs(['--smoke'])).toEqual({ smoke: true, only: undefined });
    expect(parseArgs(['--only=ingest,pages'])).toEqual({ smoke: false, only: new Set(['ingest', 'pages']) });
  });

  it('lists missed targets with their reason, and modules that failed', () => {
    const report = renderReport({
      smoke: false,
      header: '- Machine: test',
      results: [
        {
          name: 'ingest',
          seconds: 1,
          result: {
            title: 'Ingest',
            markdown: '| a | b |',
            targets: [
              { what: '/b vs limit', target: '≥ 50 %', measured: '60 %', met: true },
              { what: '/t vs limit', target: '≥ 30 %', measured: '12 %', met: false, why: 'the framework floor' },
            ],
          },
        },
        { name: 'pages', seconds: 0, error: 'no build' },
      ],
    });
    const missed = report.slice(report.indexOf('## Targets not met and why'));
    expect(missed).toContain('/t vs limit: 12 % (target ≥ 30 %). the framework floor');
    expect(missed).not.toContain('/b vs limit');
    expect(missed).toContain('pages: the module failed');
    expect(report).toContain('## Ingest');
    expect(report).toContain('| ingest | /b vs limit | ≥ 50 % | 60 % | yes |');
  });
});
