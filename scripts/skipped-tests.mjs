// Every test that did not run, with its reason, from both runners' reports. A skip is honest only when it says
// why (an environment that lacks something, e.g. PostgreSQL): `npm test` lists them all and fails on one
// without a reason. Vitest: `ctx.skip(condition, 'reason')`; Playwright: `test.skip(condition, 'reason')`.
import fs from 'node:fs';
import path from 'node:path';

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Vitest's skipped tests, as written by scripts/vitest-skips-reporter.mjs. */
export function vitestSkips(file) {
  return (readJson(file)?.skipped ?? []).map((s) => ({
    runner: 'vitest',
    name: s.todo ? `${s.name} (it.todo)` : s.name,
    reason: s.reason ?? null,
  }));
}

/** Playwright's skipped tests, from its JSON report: the reason is the description of a `skip`/`fixme` annotation. */
export function playwrightSkips(report) {
  const found = [];
  // Spec files are named relative to the test folder; name them from the repository root, like vitest's.
  const fromRoot = (file) =>
    report.config?.rootDir ? path.relative('.', path.join(report.config.rootDir, file)) : file;
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const annotations = [...(t.annotations ?? []), ...(t.results ?? []).flatMap((r) => r.annotations ?? [])];
        const reason = annotations.find((a) => (a.type === 'skip' || a.type === 'fixme') && a.description?.trim());
        found.push({
          runner: 'playwright',
          name: [fromRoot(spec.file ?? suite.file), ...titles, spec.title].join(' › '),
          reason: reason?.description.trim() ?? null,
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const fileSuite of report?.suites ?? []) walk(fileSuite, []);
  return found;
}

/** Prints the list; returns how many skips gave no reason. */
export function printSkips(skips) {
  if (skips.length === 0) return 0;
  console.log(`\nSkipped tests (${skips.length}):`);
  for (const s of skips)
    console.log(`  ${s.reason ? '-' : '✘'} [${s.runner}] ${s.name}: ${s.reason ?? 'NO REASON GIVEN'}`);
  const unexplained = skips.filter((s) => !s.reason).length;
  if (unexplained)
    console.log(
      `  ${unexplained} skipped without a reason: skip with ctx.skip(condition, 'why') (vitest) or test.skip(condition, 'why') (Playwright), or remove the skip.`,
    );
  return unexplained;
}
