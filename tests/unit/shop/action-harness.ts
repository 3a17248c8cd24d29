import { afterEach, beforeEach, expect, vi, type MockInstance } from 'vitest';
import type { DB } from '@/lib/db';
import { freshDb } from '../support/database';
import { pipelineStandIn } from './pipeline-stand-in';

/**
 * The shop's server actions called as Next calls them, for one storage suite: a cookie jar and request headers for
 * `next/headers`, `after()` run at once, the real session, database (a fresh one per test, SQLite or PostgreSQL),
 * outbox and server tracker, posting to a stand-in pipeline. The test file mocks the modules with these (vi.mock is
 * hoisted into the file that calls it):
 *
 *   vi.mock('next/headers', () => nextHeaders());
 *   vi.mock('next/server', async (original) => ({ ...(await original<typeof import('next/server')>()), after: runAfter }));
 *   vi.mock('@/lib/db', async (original) => ({ ...(await original<typeof import('@/lib/db')>()), getDb: async () => requestScope.db! }));
 */

/** What an action that threw answers (validatedAction's catch): a server action's 500. */
export const FAILED_ON_OUR_SIDE = 'Something went wrong on our side. Please try again in a moment.';

const ANONYMOUS_ID = '0f6b8a52-9c1d-4e3f-8a7b-6c5d4e3f2a1b';
/** The socket address Next puts in X-Forwarded-For (what rate limits count). */
const CLIENT = '203.0.113.44';

export const requestScope = {
  jar: new Map<string, string>(),
  db: undefined as DB | undefined,
  /** What the actions left to run after their response (`after`), awaited at the end of each test. */
  background: [] as unknown[],
};

/** The `next/headers` stand-in. */
export const nextHeaders = () => ({
  cookies: async () => ({
    get: (name: string) => (requestScope.jar.has(name) ? { name, value: requestScope.jar.get(name)! } : undefined),
    set: (name: string, value: string) => void requestScope.jar.set(name, value),
    delete: (name: string) => void requestScope.jar.delete(name),
  }),
  headers: async () => new Headers({ 'x-forwarded-for': CLIENT }),
});

/** The `next/server` stand-in's `after`: runs the task now; its work is awaited before the test's database goes. */
export const runAfter = (task: unknown) =>
  void requestScope.background.push(typeof task === 'function' ? (task as () => unknown)() : task);

type Original = <T>() => Promise<T>;

/** The `next/server` stand-in: the real module, its `after` runAfter. */
export const nextServerRunningAfter = async (original: Original) => ({
  ...(await original<typeof import('next/server')>()),
  after: runAfter,
});

/** The `@/lib/db` stand-in: the real module, its `getDb` the current test's database. */
export const testDbModule = async (original: Original) => ({
  ...(await original<typeof import('@/lib/db')>()),
  getDb: async () => requestScope.db!,
});

/**
 * The outbox without its look again for calls handed back behind an earlier one of their person (followUpHeld): what
 * a request's own sends leave pending waits for the next pass (the minute job), where a test sees it.
 */
export const outboxWithoutFollowUp = async (original: Original) => ({
  ...(await original<typeof import('@/lib/shop/server/event-outbox')>()),
  followUpHeld: async () => {},
});

/**
 * Sets up the file: the environment and the stand-in pipeline, a fresh database and cookie jar per test, and after
 * each test no error logged (an action that threw logs "[action] failed" before answering FAILED_ON_OUR_SIDE).
 */
export function actionHarness() {
  pipelineStandIn({ APP_SECRET: 'action-harness-secret-0123456789abcdef' }, (_, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  );
  let errors: MockInstance<typeof console.error>;
  beforeEach(async () => {
    requestScope.db = await freshDb();
    requestScope.jar = new Map([['ajs_anonymous_id', ANONYMOUS_ID]]);
    errors = vi.spyOn(console, 'error');
  });
  afterEach(async () => {
    await Promise.allSettled(requestScope.background.splice(0));
    expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([]);
    errors.mockRestore();
  });
}

/** The database of the current test. */
export const testDb = () => requestScope.db!;

export const count = async (table: 'orders' | 'order_lines' | 'customers') =>
  Number(
    (
      await testDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
