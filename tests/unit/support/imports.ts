import fs from 'node:fs';
import path from 'node:path';

/** The repository root, for tests that read the source tree. */
export const ROOT = path.resolve(__dirname, '../../..');

const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;

/** Source files under `dir` (relative to it), skipping build output and dependencies. */
export function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => SOURCE.test(f) && !f.split(path.sep).some((part) => part === 'node_modules' || part === '.next'));
}

/** Every module specifier: static imports/exports, side-effect imports, dynamic import() and require(). */
export function specifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((re) => [...source.matchAll(re)].map((m) => m[1]!));
}
