/**
 * The tracking plan's schema version, which every track and page call carries. A module of its own: the page's
 * first load (./browser.ts) needs this number only, and importing it from ./plan-payload.ts put that module's cart
 * builders into every page's first load too (the bundler keeps a module whole).
 */
export const SCHEMA_VERSION = 1;
