import { test as base, expect, type BrowserContext } from '@playwright/test';

export { expect };

/** The violations the running test's browser contexts reported (one test at a time per worker: workers: 1). */
let current: string[] | null = null;

/**
 * Collects the Content-Security-Policy violations Chromium logs in `context`'s pages (a blocked script, style,
 * image, connection or frame is logged as "Refused to …" naming the directive). The test fixture watches its own
 * context; a context a test makes itself (browser.newContext) is watched when passed here.
 */
export function watchCsp(context: BrowserContext): BrowserContext {
  context.on('console', (message) => {
    const text = message.text();
    if (current && /Content Security Policy/i.test(text)) current.push(`${message.location().url}: ${text}`);
  });
  return context;
}

/**
 * Playwright's `test` with one automatic check: every page a test opens works under the app's CSP, i.e. no CSP
 * violation was logged while it ran (issue 9 §4). Every spec imports `test` from here.
 */
export const test = base.extend<{ noCspViolations: void }>({
  noCspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      current = violations;
      watchCsp(context);
      await use();
      current = null;
      expect(violations, 'Content-Security-Policy violations in the browser console').toEqual([]);
    },
    { auto: true },
  ],
});
