import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * "Copy the folder into another Next.js shop" made concrete: type-check lib/tracking on its own, with the
 * app's strictness but without its `@/` path alias, and prove no other file of the repository is pulled in.
 */
const ROOT = path.resolve(__dirname, '../../..');
const DIR = path.join(ROOT, 'lib/tracking');

describe('lib/tracking builds alone', () => {
  it('type-checks with only its own files and its packages', () => {
    const files = fs
      .readdirSync(DIR)
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => path.join(DIR, f));
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.dom.d.ts', 'lib.dom.iterable.d.ts', 'lib.es2023.d.ts'],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      isolatedModules: true,
      esModuleInterop: true,
      noEmit: true,
      types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
    const fromRepo = program
      .getSourceFiles()
      .map((f) => path.resolve(f.fileName))
      .filter((f) => f.startsWith(ROOT + path.sep) && !f.includes(`${path.sep}node_modules${path.sep}`));
    expect(fromRepo.filter((f) => !f.startsWith(DIR + path.sep))).toEqual([]);
    expect(fromRepo).toHaveLength(files.length);
  }, 60_000);
});
