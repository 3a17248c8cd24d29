import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/imports';

/**
 * The browser's tracking code (browser.ts in the first load, sdk.ts loaded after hydration) reaches no zod: the plan
 * and the traits are checked there from their data (plan-check.ts, traits.ts), and zod stays with the server and
 * the pipeline. Follows the modules' runtime imports (`import type` is erased) within lib/tracking.
 */
const DIR = path.join(ROOT, 'lib/tracking');
const RUNTIME_IMPORT =
  /^\s*(?:import|export)\s+(?!type\b)(?:[^'"`;]*?\bfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

function packagesReached(entry: string, seen = new Set<string>(), packages = new Set<string>()) {
  if (seen.has(entry)) return packages;
  seen.add(entry);
  for (const m of fs.readFileSync(entry, 'utf8').matchAll(RUNTIME_IMPORT)) {
    const spec = (m[1] ?? m[2])!;
    if (!spec.startsWith('.')) {
      packages.add(spec);
      continue;
    }
    const base = path.resolve(path.dirname(entry), spec);
    const file = ['.ts', '.tsx'].map((ext) => base + ext).find((f) => fs.existsSync(f));
    if (file) packagesReached(file, seen, packages);
  }
  return packages;
}

describe('the browser tracking chunks', () => {
  it('import no zod, from browser.ts or from the SDK chunk (sdk.ts)', () => {
    for (const entry of ['browser.ts', 'sdk.ts']) {
      const packages = [...packagesReached(path.join(DIR, entry))];
      expect(
        packages.filter((p) => p === 'zod' || p.startsWith('zod/')),
        entry,
      ).toEqual([]);
    }
    // The walk itself finds zod where it is: the server's plan.
    expect([...packagesReached(path.join(DIR, 'plan.ts'))]).toContain('zod');
    expect([...packagesReached(path.join(DIR, 'sdk.ts'))]).toContain('@customerio/cdp-analytics-browser');
  });
});
