import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The temporary folders a test file made (its SQLite databases), on globalThis: each file evaluates the support
// modules afresh (fresh-modules.ts), and the setup file that removes them must see the same list.
const made = ((globalThis as { __unitTempFolders?: string[] }).__unitTempFolders ??= []);

/** A new folder in the system's temporary folder, removed after the test file (see releaseTempFolders). */
export function tempFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/**
 * After a test file (fresh-modules.ts, once its databases are closed): its folders are removed, unless a test of
 * the file failed: then they stay for a person to look into, and the run says where. Before, a file of the `unit`
 * project left its folder behind on every run (/tmp/glowlab-unit-*).
 */
export function releaseTempFolders(file: string, failed: boolean): void {
  for (const dir of made.splice(0)) {
    if (failed) console.log(`[unit] a test in ${file} failed: its database folder is kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
