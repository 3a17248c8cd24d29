import fs from 'node:fs';
import type { FullResult, Reporter } from '@playwright/test/reporter';

/**
 * Removes the run's database folder (E2E_DATA_DIR, /tmp/glowlab-e2e-*, made by base-config.ts) once the run is over,
 * unless it failed: then it stays for a person to look into the servers' databases, and the run says where. A
 * machine running the suite daily filled /tmp with one such folder per run. A folder given in E2E_DATA_DIR is never
 * removed. Runs after the web servers have stopped (Playwright ends a run's tasks before its reporters' onEnd).
 */
export default class DataDirReporter implements Reporter {
  onEnd(result: FullResult): void {
    const dir = process.env.E2E_DATA_DIR;
    if (!dir || process.env.E2E_DATA_DIR_MADE !== dir || !fs.existsSync(dir)) return;
    if (result.status === 'failed' || result.status === 'timedout') {
      console.log(`\nThe run failed: its servers' databases are kept in ${dir} (delete the folder when done).`);
      return;
    }
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }

  printsToStdio(): boolean {
    return false;
  }
}
