// Every test that did not run, with its reason, from both runners' reports. A skip is honest only when it says
// why (an environment that lacks something, e.g. PostgreSQL): `npm test` lists them all and fails on one
// without a reason. Vitest: `ctx.skip(condition, 'reason')`; Playwright: `test.skip(condition, 'reason')`.
// Playwright does not start a project's tests when a project it depends on failed (`dependencies` in
// playwright.config.ts): those are listed as not run, with the failed project, and are not unexplained skips —
// the failure itself fails the run.
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

/** Every test of a Playwright JSON report, with the file and titles that name it. */
function playwrightTests(report) {
  const found = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests ?? [])
        found.push({ test, file: spec.file ?? suite.file, titles: [...titles, spec.title] });
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const fileSuite of report?.suites ?? []) walk(fileSuite, []);
  return found;
}

/**
 * Playwright's skipped tests, from its JSON report: the reason is the description of a `skip`/`fixme` annotation.
 * A test with no result at all was never started. The report does not carry the projects' `dependencies`, but it
 * does say which projects had a failed test: a test never started while another project failed is one whose
 * dependency failed (`notRun`), named with those projects. Never started with no failure elsewhere stays unexplained.
 */
export function playwrightSkips(report) {
  // Spec files are named relative to the test folder; name them from the repository root, like vitest's.
  const fromRoot = (file) =>
    report.config?.rootDir ? path.relative('.', path.join(report.config.rootDir, file)) : file;
  const tests = playwrightTests(report);
  const failedProjects = [
    ...new Set(tests.filter(({ test }) => test.status === 'unexpected').map(({ test }) => test.projectName)),
  ];
  const found = [];
  for (const { test, file, titles } of tests) {
    if (test.status !== 'skipped') continue;
    const name = [fromRoot(file), ...titles].join(' › ');
    const annotations = [...(test.annotations ?? []), ...(test.results ?? []).flatMap((r) => r.annotations ?? [])];
    const reason = annotations.find((a) => (a.type === 'skip' || a.type === 'fixme') && a.description?.trim());
    const failedDependencies = failedProjects.filter((project) => project !== test.projectName);
    if (!reason && (test.results ?? []).length === 0 && failedDependencies.length > 0) {
      const projects = failedDependencies.map((project) => `\`${project}\``).join(', ');
      found.push({
        runner: 'playwright',
        name,
        reason: `not run: a project it depends on failed (${projects} had a failed test)`,
        notRun: true,
      });
      continue;
    }
    found.push({ runner: 'playwright', name, reason: reason?.description.trim() ?? null });
  }
  return found;
}

/** Prints the list; returns how many skips gave no reason (tests not run for a failed dependency have one). */
export function printSkips(skips) {
  if (skips.length === 0) return 0;
  console.log(`\nSkipped tests (${skips.length}):`);
  for (const s of skips)
    console.log(`  ${s.notRun ? '~' : s.reason ? '-' : '✘'} [${s.runner}] ${s.name}: ${s.reason ?? 'NO REASON GIVEN'}`);
  const notRun = skips.filter((s) => s.notRun).length;
  if (notRun) console.log(`  ${notRun} not run because a project they depend on failed: fix that failure first.`);
  const unexplained = skips.filter((s) => !s.reason).length;
  if (unexplained)
    console.log(
      `  ${unexplained} skipped without a reason: skip with ctx.skip(condition, 'why') (vitest) or test.skip(condition, 'why') (Playwright), or remove the skip.`,
    );
  return unexplained;
}
