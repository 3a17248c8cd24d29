// `npm run bench` (full) and `npm run bench -- --smoke` (tiny sizes, part of `npm test` so no module rots):
// builds once if there is no production build, runs the modules BENCH_MODULES lists, each exporting
// `bench({ smoke }) → { title, markdown, data, targets? }`, in that order, and writes the report: BENCHMARKS.md
// for a full run, test-results/bench-smoke/BENCHMARKS.md for a smoke run (smoke figures mean nothing).
// `--only=a,b` runs the named modules. Timings are printed, never asserted; a module that throws fails the run.
// Each module runs in a process of its own (runInChild): in one shared process the journeys pass over 100k people
// took 33–35 s after the modules before it, against 23–25 s alone, its peak RSS growth 322 MB against 182 MB (the
// V8 heap the earlier modules left grew every major GC); a fresh process measures each module as it runs alone.
//
// targets (optional): [{ what, target, measured, met, why? }] — collected into the ratios table and the
// "Targets not met and why" section.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureBuild } from '../next-build.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));

const flag = (argv, name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

export function parseArgs(argv) {
  const smoke = argv.includes('--smoke');
  const only = flag(argv, 'only');
  return { smoke, only: only ? new Set(only.split(',')) : undefined };
}

/**
 * The benchmark modules, by file name in scripts/bench, in the order they run. Listed, not discovered: a scratch
 * script left in the folder must not run as part of `npm run bench` (or of `npm test`'s smoke run).
 */
export const BENCH_MODULES = ['ingest', 'ingest-postgres', 'journeys', 'lighthouse', 'pages', 'reads'];

/** Imports the listed modules from `dir`; one that does not export `bench` is an error, not skipped. */
export async function loadModules(names = BENCH_MODULES, dir = HERE) {
  const modules = [];
  for (const name of names) {
    const mod = await import(pathToFileURL(path.join(dir, `${name}.mjs`)).href);
    if (typeof mod.bench !== 'function') throw new Error(`scripts/bench/${name}.mjs does not export bench()`);
    modules.push({ name, bench: mod.bench });
  }
  return modules;
}

/**
 * Runs one module's bench in a fresh Node process (this file with `--module=`), its output going to this one's,
 * and resolves to what it returned ({ result } or { error }).
 */
export async function runInChild(name, { smoke = false, dir = HERE } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glowlab-bench-result-'));
  const out = path.join(tmp, 'result.json');
  const args = [fileURLToPath(import.meta.url), `--module=${name}`, `--dir=${dir}`, `--result=${out}`];
  try {
    const code = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, smoke ? [...args, '--smoke'] : args, { stdio: 'inherit' });
      child.once('error', reject);
      child.once('exit', (status, signal) => resolve(signal ?? status));
    });
    if (!fs.existsSync(out)) return { error: `its process ended (${code}) without a result` };
    return JSON.parse(fs.readFileSync(out, 'utf8'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The child's side of runInChild: one module, its result (or error) written as JSON. */
async function child(argv) {
  const [name, dir, out] = ['module', 'dir', 'result'].map((f) => flag(argv, f));
  let outcome;
  try {
    const [{ bench }] = await loadModules([name], dir);
    outcome = { result: await bench({ smoke: argv.includes('--smoke') }) };
  } catch (error) {
    console.error(`[bench] ${name} failed:`, error);
    outcome = { error: (error?.message ?? String(error)).split('\n')[0] };
  }
  fs.writeFileSync(out, JSON.stringify(outcome));
  // A module may leave handles open (a browser's socket, a timer): its result is written, so this process is done.
  process.exit(0);
}

function machine() {
  const cpus = os.cpus();
  return [
    `- Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `${os.type()} ${os.release()} (${os.arch()})`,
    `- Node ${process.version}; load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min: other work on the machine slows every figure)`,
    `- Date: ${new Date().toISOString()}`,
  ].join('\n');
}

/** The report: header, ratios against targets, every module's own section, then what was missed. */
export function renderReport({ smoke, header, results }) {
  const targets = results.flatMap((r) => (r.result?.targets ?? []).map((t) => ({ module: r.name, ...t })));
  const missed = targets.filter((t) => !t.met);
  const failed = results.filter((r) => r.error);
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench${smoke ? ' -- --smoke' : ''}\` (scripts/bench/index.mjs); every figure beside ` +
      'its limit was measured in the same run. Regenerate rather than edit.',
    '',
    header,
    '',
    '## Ratios and targets',
    '',
    '| module | what | target | measured | met |',
    '|---|---|---|---|---|',
    ...targets.map((t) => `| ${t.module} | ${t.what} | ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`),
    ...results
      .filter((r) => r.result && !r.result.targets?.length)
      .map((r) => `| ${r.name} | (reports no targets: see its section) | | | |`),
    '',
  ];
  for (const r of results) {
    lines.push(`## ${r.result?.title ?? r.name}`, '', `_scripts/bench/${r.name}.mjs, ${r.seconds.toFixed(1)} s_`, '');
    lines.push(r.error ? `**Failed:** ${r.error}` : r.result.markdown.trim(), '');
  }
  lines.push('## Targets not met and why', '');
  if (!targets.length && !failed.length) lines.push('No module reported a target in this run.');
  else if (!missed.length && !failed.length) lines.push('Every target reported in this run was met.');
  for (const t of missed) {
    lines.push(`- ${t.module}: ${t.what}: ${t.measured} (target ${t.target}). ${t.why ?? 'See its section.'}`);
  }
  for (const r of failed) lines.push(`- ${r.name}: the module failed, so nothing was measured (${r.error}).`);
  return `${lines.join('\n')}\n`;
}

async function main() {
  const { smoke, only } = parseArgs(process.argv.slice(2));
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  process.chdir(ROOT);
  ensureBuild();
  const header = machine();
  const names = BENCH_MODULES.filter((name) => !only || only.has(name));
  console.log(`[bench] ${smoke ? 'smoke' : 'full'} run of ${names.join(', ') || 'nothing'}`);
  const results = [];
  for (const name of names) {
    const started = Date.now();
    console.log(`\n[bench] ${name}…`);
    const outcome = await runInChild(name, { smoke });
    const seconds = (Date.now() - started) / 1000;
    results.push({ name, ...outcome, seconds: outcome.error ? 0 : seconds });
    console.log(`[bench] ${name} took ${seconds.toFixed(1)} s`);
  }
  const out = smoke ? path.join(ROOT, 'test-results/bench-smoke/BENCHMARKS.md') : path.join(ROOT, 'BENCHMARKS.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Formatted as `npm run lint` checks it (prettier --check covers BENCHMARKS.md).
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(out)) ?? {};
  const report = await prettier.format(renderReport({ smoke, header, results }), { ...options, parser: 'markdown' });
  fs.writeFileSync(out, report);
  console.log(`\n${report}\n[bench] wrote ${path.relative(ROOT, out)}`);
  process.exit(results.some((r) => r.error) ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  if (flag(process.argv, 'module')) await child(process.argv.slice(2));
  else await main();
}
