import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles, specifiers } from '../support/imports';

/** lib/tracking must work when copied into another Next.js shop: it may import only itself and these packages. */
const ALLOWED_PACKAGES = [
  'zod',
  'react',
  'next',
  '@customerio/cdp-analytics-browser',
  '@customerio/cdp-analytics-node',
  // punycode.js, imported as `punycode/` (the bare name is Node's deprecated built-in).
  'punycode',
  'server-only',
];
const DIR = path.join(ROOT, 'lib/tracking');
const files = sourceFiles(DIR);

const packageName = (spec: string) =>
  spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;

function problems(file: string, source: string): string[] {
  return specifiers(source).flatMap((spec) => {
    if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(path.join(DIR, file)), spec);
      return target === DIR || target.startsWith(DIR + path.sep) ? [] : [`${file}: "${spec}" leaves lib/tracking`];
    }
    if (spec.startsWith('@/')) return [`${file}: "${spec}" uses the app's path alias`];
    return ALLOWED_PACKAGES.includes(packageName(spec)) ? [] : [`${file}: "${spec}" is not an allowed package`];
  });
}

describe('lib/tracking isolation', () => {
  it('finds the modules it checks', () => {
    expect(files).toEqual(
      expect.arrayContaining(['plan.ts', 'browser.ts', 'server.ts', 'react.tsx', 'anonymous-id-proxy.ts']),
    );
    expect(specifiers(fs.readFileSync(path.join(DIR, 'server.ts'), 'utf8'))).toEqual(
      expect.arrayContaining(['server-only', './plan']),
    );
  });

  it('imports nothing outside the folder except the allowed packages', () => {
    const found = files.flatMap((file) => problems(file, fs.readFileSync(path.join(DIR, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('detects the imports it must reject', () => {
    const bad = [
      "import { env } from '@/lib/env';",
      "import { db } from '../db';",
      "export * from '../../lib/shop/cart';",
      "const m = await import('lodash');",
      "import 'zustand';",
      "import type { X } from 'next-auth';",
    ].join('\n');
    expect(problems('x.ts', bad)).toHaveLength(6);
    expect(
      problems(
        'x.ts',
        "import { z } from 'zod';\nimport { a } from './cookies';\nimport 'server-only';\nimport { cookies } from 'next/headers';",
      ),
    ).toEqual([]);
  });

  it('marks server and client modules', () => {
    const first = (f: string) =>
      fs
        .readFileSync(path.join(DIR, f), 'utf8')
        .split('\n')
        .find((l) => l.trim() !== '');
    expect(first('server.ts')).toBe("import 'server-only';");
    for (const f of ['browser.ts', 'react.tsx', 'consent-banner.tsx']) expect(first(f), f).toBe("'use client';");
  });
});
