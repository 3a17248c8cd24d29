// Which part of the app may import which, in one list: eslint.config.mjs turns it into
// `import/no-restricted-paths` zones, and tests/unit/architecture/boundaries.test.ts checks the same rules by
// reading every import. ARCHITECTURE.md explains them. Paths are relative to the repository root; a folder
// covers everything under it.

/** The pipeline's layers, bottom to top: each imports only the layers below it (and lib/common, lib/db, …). */
export const CDP_LAYERS = ['model', 'engine', 'store', 'identity', 'ingest', 'forward', 'read', 'runtime', 'ops'];

/** The door of lib/cdp for the app, and the pure API contract client components and tests may also use. */
export const CDP_DOOR = ['lib/cdp/index.ts', 'lib/cdp/ops/contract.ts'];

/**
 * @typedef {object} Boundary
 * @property {string} name  what the rule protects, shown in lint errors and test failures
 * @property {string[]} files  importing files the rule applies to
 * @property {string[]} [exceptFiles]  files under `files` it does not apply to
 * @property {string[]} forbid  what those files may not import
 * @property {string[]} [allow]  files or folders under `forbid` they may import after all
 */

const layerRules = CDP_LAYERS.slice(0, -1).map((layer, i) => ({
  name: `lib/cdp/${layer} imports only the layers below it (${CDP_LAYERS.slice(0, i).join(', ') || 'none'})`,
  files: [`lib/cdp/${layer}`],
  forbid: CDP_LAYERS.slice(i + 1).map((l) => `lib/cdp/${l}`),
}));

/** @type {Boundary[]} */
export const BOUNDARIES = [
  {
    name: 'lib/tracking is copied into other shops: it imports only itself and packages',
    files: ['lib/tracking'],
    forbid: ['.'],
    allow: ['lib/tracking', 'node_modules'],
  },
  {
    name: 'lib/common is shared by the shop and the pipeline, so it depends on neither',
    files: ['lib/common'],
    forbid: ['lib/shop', 'lib/cdp', 'lib/tracking', 'app', 'components'],
  },
  {
    // The database (both dialects, transactions, leases, migrations) and the variables: beneath everything.
    name: 'lib/db and lib/env are infrastructure: they import no part of the app',
    files: ['lib/db', 'lib/env.ts'],
    forbid: ['lib/shop', 'lib/cdp', 'lib/tracking', 'app', 'components'],
  },
  {
    name: 'the shop talks to the pipeline over HTTP through lib/tracking, never by import',
    files: ['lib/shop'],
    forbid: ['lib/cdp'],
  },
  {
    name: 'the pipeline does not import the shop: messages render from the events and traits the shop sends',
    files: ['lib/cdp'],
    forbid: ['lib/shop'],
  },
  {
    name: 'the segment, journey and message engine is pure: no database',
    files: ['lib/cdp/engine'],
    forbid: ['lib/db'],
  },
  ...layerRules,
  {
    name: 'nothing inside lib/cdp goes through its own door (index.ts is for the rest of the app)',
    files: ['lib/cdp'],
    exceptFiles: ['lib/cdp/index.ts'],
    forbid: ['lib/cdp/index.ts'],
  },
  {
    name: 'UI components get data from lib/shop/server or lib/cdp, never from the database',
    files: ['components'],
    forbid: ['lib/db'],
  },
  {
    name: 'routes and pages get data from lib/shop/server or lib/cdp, never from the database',
    files: ['app'],
    forbid: ['lib/db'],
  },
  {
    name: 'the storefront UI does not reach into the pipeline',
    files: ['app/(shop)', 'components'],
    exceptFiles: ['components/ops'],
    forbid: ['lib/cdp'],
  },
  {
    // So a console page without a session answers a redirect, not a 200 (console-access.ts holds the one check).
    name: "proxy.ts reaches the pipeline only for the console's session check (lib/cdp/ops/console-access.ts)",
    files: ['proxy.ts'],
    forbid: ['lib/cdp'],
    allow: ['lib/cdp/ops/console-access.ts'],
  },
  {
    name: 'the app enters lib/cdp only through its door, @/lib/cdp (and the pure @/lib/cdp/ops/contract)',
    files: ['app', 'components/ops', 'instrumentation.ts'],
    forbid: ['lib/cdp'],
    allow: CDP_DOOR,
  },
  {
    name: 'black-box tests (e2e, example shop, fuzz) see the pipeline only through its HTTP APIs and contract',
    files: ['tests/e2e', 'tests/example', 'tests/fuzz'],
    forbid: ['lib/cdp'],
    allow: ['lib/cdp/ops/contract.ts'],
  },
  {
    name: 'lib/shop/domain is pure and client-safe: no server code, actions, browser glue or database',
    files: ['lib/shop/domain'],
    forbid: ['lib/shop/server', 'lib/shop/actions', 'lib/shop/client', 'lib/db'],
  },
  {
    name: 'lib/shop/server does not import actions or browser code',
    files: ['lib/shop/server'],
    forbid: ['lib/shop/actions', 'lib/shop/client'],
  },
  {
    name: "lib/shop/actions ('use server') do not import browser code",
    files: ['lib/shop/actions'],
    forbid: ['lib/shop/client'],
  },
  {
    name: 'lib/shop/client (browser) reaches the server only through actions',
    files: ['lib/shop/client'],
    forbid: ['lib/shop/server', 'lib/db'],
  },
];
