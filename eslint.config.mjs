import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  // Formatting is Prettier's job (prettier.config.mjs); turn off the lint rules that would fight it.
  prettier,
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
