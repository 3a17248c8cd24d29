// A Vitest reporter that writes every test which did not run, with its reason, for `npm test` to list.
// The reason is the note of `ctx.skip(note)` / `ctx.skip(condition, note)` (TestCase.result().note): Vitest's
// own JSON report does not carry it, and `it.skip`, `it.skipIf`, `describe.skip` and `it.todo` have none.
// Output: `{ skipped: [{ name, reason, todo? }] }` in the file given as `--outputFile.skips=…` (default below).
import fs from 'node:fs';
import path from 'node:path';

const DEFAULT_OUTPUT = 'test-results/vitest-skips.json';

export default class SkipsReporter {
  outputFile = DEFAULT_OUTPUT;
  root = process.cwd();

  onInit(vitest) {
    const configured = vitest.config.outputFile;
    if (configured && typeof configured === 'object' && configured.skips) this.outputFile = configured.skips;
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules) {
    const skipped = [];
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        const result = testCase.result();
        if (result.state !== 'skipped') continue;
        const file = path.relative(this.root, testCase.module.moduleId);
        skipped.push({
          name: `${file} › ${testCase.fullName.replaceAll(' > ', ' › ')}`,
          reason: result.note?.trim() || null,
          ...(testCase.options.mode === 'todo' ? { todo: true } : {}),
        });
      }
    }
    fs.mkdirSync(path.dirname(this.outputFile), { recursive: true });
    fs.writeFileSync(this.outputFile, `${JSON.stringify({ skipped }, null, 2)}\n`);
  }
}
