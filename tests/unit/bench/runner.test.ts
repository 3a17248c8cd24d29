import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_MODULES, loadModules, parseArgs, renderReport, runInChild } from '../../../scripts/bench/index.mjs';

describe('the benchmark runner', () => {
  it('runs the listed modules, in that order, and no other file of the folder (a scratch script)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-bench-runner-'));
    fs.writeFileSync(path.join(dir, 'zeta.mjs'), 'export async function bench() { return { title: "Z" }; }');
    fs.writeFileSync(path.join(dir, 'alpha.mjs'), 'export async function bench() { return { title: "A" }; }');
    fs.writeFileSync(path.join(dir, 'helper.mjs'), 'export const notABench = 1;');
    // Imported, it would run: a scratch script in the folder must not.
    fs.writeFileSync(path.join(dir, 'scratch.mjs'), 'throw new Error("the scratch script ran");');
    const modules = await loadModules(['zeta', 'alpha'], dir);
    expect(modules.map((m) => m.name)).toEqual(['zeta', 'alpha']);
    await expect(loadModules(['helper'], dir)).rejects.toThrow('helper.mjs does not export bench()');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every module of scripts/bench that exports bench, and only those', () => {
    const dir = path.join(import.meta.dirname, '../../../scripts/bench');
    const benches = fs
      .readdirSync(dir)
      .filter(
        (f) => f.endsWith('.mjs') && /^export async function bench\(/m.test(fs.readFileSync(path.join(dir, f), 'utf8')),
      )
      .map((f) => f.replace(/\.mjs$/, ''));
    expect(BENCH_MODULES.toSorted()).toEqual(benches.toSorted());
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

  it('runs each module in a process of its own, so nothing one leaves behind reaches the next', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-bench-runner-'));
    // What a module leaves in its process (a heap, a global, a handle) is what a later module must not inherit.
    const leaver =
      'export async function bench() { const seen = globalThis.leftBehind ?? null; globalThis.leftBehind = process.pid;' +
      ' setInterval(() => {}, 1000); return { title: "L", markdown: String(seen), data: { pid: process.pid } }; }';
    fs.writeFileSync(path.join(dir, 'leaver.mjs'), leaver);
    fs.writeFileSync(
      path.join(dir, 'broken.mjs'),
      'export async function bench() { throw new Error("no build\\nmore"); }',
    );
    const first = await runInChild('leaver', { dir });
    const second = await runInChild('leaver', { dir });
    expect([first.result?.markdown, second.result?.markdown]).toEqual(['null', 'null']);
    const pid = (run: typeof first) => (run.result?.data as { pid: number }).pid;
    expect(new Set([pid(first), pid(second), process.pid]).size).toBe(3);
    expect(await runInChild('broken', { dir })).toEqual({ error: 'no build' });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
