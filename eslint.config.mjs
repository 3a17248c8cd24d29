import fs from 'node:fs';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';
import { BOUNDARIES } from './boundaries.config.mjs';

/** `dir` without the paths in `except` below it, as the folders and files that remain (read from disk). */
function without(dir, except) {
  const inside = except.filter((e) => e === dir || e.startsWith(`${dir}/`));
  if (!inside.length) return [dir];
  if (inside.includes(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs.readdirSync(dir).flatMap((name) => without(`${dir}/${name}`, inside));
}

const under = (path, dir) => dir === '.' || path === dir || path.startsWith(`${dir}/`);
const relative = (path, dir) => (dir === '.' ? `./${path}` : `.${path.slice(dir.length)}`);

/** boundaries.config.mjs as import/no-restricted-paths zones: one per rule and forbidden path. */
const zones = BOUNDARIES.flatMap(({ name, files, exceptFiles = [], forbid, allow = [] }) => {
  const target = files.flatMap((f) => without(f, exceptFiles)).map((f) => `./${f}`);
  return forbid.map((from) => ({
    target,
    from: from === '.' ? '.' : `./${from}`,
    except: allow.filter((a) => under(a, from)).map((a) => relative(a, from)),
    message: `Boundary: ${name} (boundaries.config.mjs, ARCHITECTURE.md).`,
  }));
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  // Formatting is Prettier's job (prettier.config.mjs); turn off the lint rules that would fight it.
  prettier,
  { rules: { 'import/no-restricted-paths': ['error', { zones }] } },
  {
    // The storefront prefetches on intent (components/layout/link.tsx); the console's pages are per request.
    files: ['app/(shop)/**', 'components/**'],
    ignores: ['components/ops/**', 'components/layout/link.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'next/link',
              importNames: ['default'],
              message: "Storefront links prefetch on intent: import { Link } from '@/components/layout/link'.",
            },
          ],
        },
      ],
    },
  },
  globalIgnores([
    '.next/**',
    'node_modules/**',
    'data/**',
    'demo-output/**',
    'test-results/**',
    'playwright-report/**',
    '.example-build/**',
    'next-env.d.ts',
  ]),
]);
