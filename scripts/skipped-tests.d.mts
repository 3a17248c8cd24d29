export type Skip = {
  runner: 'vitest' | 'playwright';
  name: string;
  /** Why it did not run; null when nobody said (an unexplained skip). */
  reason: string | null;
  /** Playwright never started it: a project it depends on failed. */
  notRun?: true;
};
export declare function vitestSkips(file: string): Skip[];
export declare function playwrightSkips(report: unknown): Skip[];
export declare function printSkips(skips: Skip[]): number;
