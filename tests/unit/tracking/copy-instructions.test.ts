import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlocks, documentedEnv, readCopyInstructions } from '@/scripts/tracking-copy.mjs';

/**
 * scripts/example-shop.mjs builds a second app from lib/tracking/README.md's copy instructions (the e2e proof is
 * tests/example). These pin down how the instructions are read, so a README edit cannot silently drop a step.
 */
const README = fs.readFileSync(path.resolve(__dirname, '../../../lib/tracking/README.md'), 'utf8');

const fence = '```';
const sample = [
  '## Copying it into another Next.js shop',
  '1. Install:',
  '',
  `   ${fence}sh`,
  '   npm install zod@4 @scope/pkg@0.5 plain',
  `   ${fence}`,
  '',
  `   ${fence}ts proxy.ts`,
  '   export const a = 1;',
  '',
  '   export const b = 2;',
  `   ${fence}`,
  '',
  `${fence}ts`,
  'const notAFile = true;',
  `${fence}`,
  '',
  `${fence}sh .env.local`,
  'KEY_A=1',
  '# KEY_B=',
  '# a comment',
  `${fence}`,
  '',
  '## Next section',
  `${fence}ts outside.ts`,
  'ignored();',
  `${fence}`,
].join('\n');

describe('lib/tracking copy instructions', () => {
  it('reads packages, whole files (un-indented) and documented variables from the section only', () => {
    const instructions = readCopyInstructions(sample);
    expect(instructions.packages).toEqual([
      { name: 'zod', range: '4' },
      { name: '@scope/pkg', range: '0.5' },
      { name: 'plain', range: '' },
    ]);
    expect(instructions.files).toEqual([
      { file: 'proxy.ts', code: 'export const a = 1;\n\nexport const b = 2;\n' },
      { file: '.env.local', code: 'KEY_A=1\n# KEY_B=\n# a comment\n' },
    ]);
    expect(documentedEnv(instructions)).toEqual(new Set(['KEY_A', 'KEY_B']));
  });

  it('refuses instructions that cannot be followed', () => {
    expect(() => readCopyInstructions('# nothing here')).toThrow(/no section/);
    expect(() => readCopyInstructions(sample.replace('npm install', 'npm ci'))).toThrow(/npm install/);
    expect(() => readCopyInstructions(sample.replace('ts proxy.ts', 'ts ../proxy.ts'))).toThrow(/not a project path/);
    expect(() => readCopyInstructions(sample.replace('sh .env.local', 'ts proxy.ts'))).toThrow(/two blocks/);
    expect(() => codeBlocks(`${fence}ts\nopen`)).toThrow(/unclosed/);
  });

  it("the README's instructions give every integration file the example shop needs", () => {
    const { packages, files } = readCopyInstructions(README);
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining(['zod', '@customerio/cdp-analytics-browser', '@customerio/cdp-analytics-node']),
    );
    expect(files.map((f) => f.file)).toEqual(
      expect.arrayContaining(['proxy.ts', 'next.config.ts', 'app/layout.tsx', '.env.local', 'tsconfig.json']),
    );
  });
});
