import { getAnonymousId, identify } from './browser';

/** The global the test hook is published under (strict mode only). */
const TEST_HOOK = '__tracking';

/*
 * Strict mode only (development and tests, never production): the provider imports this module then, and importing it
 * publishes the guarded `identify` and `getAnonymousId` on `window.__tracking`, so an end-to-end test can prove the
 * guard runs in the real page.
 */
Object.assign(window, { [TEST_HOOK]: Object.freeze({ identify, getAnonymousId }) });
