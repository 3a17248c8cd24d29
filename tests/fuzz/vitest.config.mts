import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The fuzz suite (tests/fuzz/README.md): fast-check properties against a production server of this build, so it
// runs after `next build` — in `npm test` as its own step, or alone with `npm run test:fuzz` (FUZZ_RUNS and
// FUZZ_SEED change its size and seed).
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('../../', import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL('../../', import.meta.url)),
    include: ['tests/fuzz/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/fuzz/support/server.ts'],
    // One server for all files; one file at a time keeps the load, and each file's request count, its own.
    fileParallelism: false,
    // A property's runs are bounded by the per-request timeout (support/client.ts), not by this.
    testTimeout: 600_000,
    hookTimeout: 120_000,
    allowOnly: false,
  },
});
