import { createRequire } from 'node:module';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * The axe-core that @axe-core/playwright bundles (its own version, not the top-level package). AxeBuilder's
 * default mode evaluates these 650 kB three times a scan (page, each frame, then a blank page for finishRun) and
 * legacy mode twice: 4–6 s a page on this machine. Evaluated once per page load (injectAxe) and run in legacy
 * mode, the results are the same, rule for rule, in a fraction of the time.
 */
const AXE_SOURCE: string = createRequire(require.resolve('@axe-core/playwright'))('axe-core').source;

/** Evaluates axe-core in the page's current document; every scan of that document can then run. */
export async function injectAxe(page: Page) {
  await page.evaluate(AXE_SOURCE);
}

/**
 * axe's violations on the page as it is now (injectAxe first, once per load), within `include` if given.
 * The email preview is a sandboxed iframe without scripts: axe cannot run inside it and would wait forever
 * (seen once an outbox message existed), so scans leave it out; axeSource ';' makes AxeBuilder's own injections
 * no-ops, as no page here has a frame but the excluded preview.
 */
export async function axeViolations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page, axeSource: ';' })
    .setLegacyMode(true)
    // Only the violations are asked for: axe then skips gathering every node that passed (the same violations).
    .options({ resultTypes: ['violations'] })
    .exclude('iframe[sandbox]');
  if (include) builder.include(include);
  return (await builder.analyze()).violations;
}
