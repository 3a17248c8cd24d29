import { afterAll, afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { addedToCart, cleanserCart, freshDb, identify, ingest, T0, testClock } from '../cdp/support';
import { asProductionServer, composeThread, resetComposeThread } from '../support/compose-thread';

// In a production build a pass's emails are composed on a thread of their own (message-composer.ts) while the pass
// loads and steps the next group; here that thread is ../support/compose-thread.ts's stand-in, running the real entry.
vi.mock('node:worker_threads', async (original) =>
  (await import('../support/compose-thread')).workerThreadsStandIn(await original()),
);
afterAll(() => {
  vi.doUnmock('node:worker_threads');
});
await import('@/lib/cdp/runtime/compose-worker');

// More people than a pass's slice (400), each with a cart and an email: two groups with emails to compose.
const PEOPLE = 401;
// 802 calls stored and 401 emails composed per test: 7-18 s alone, past the default 20 s on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const options = {
  now: new Date(T0.getTime() + 2 * 3_600_000),
  liveCartStrategy: 'lookback',
  appUrl: 'http://x',
} as const;

let db: DB;
beforeEach(async () => {
  db = await freshDb();
  const people = Array.from({ length: PEOPLE }, (_, i) => [`cus_${i}`, `anon-${i}`] as const);
  await ingest(
    db,
    people.flatMap(([id, anon]) => [
      identify(id, anon, { email: `${id}@example.com`, cart: cleanserCart }),
      addedToCart(anon),
    ]),
    testClock(T0).now,
  );
  resetComposeThread();
  asProductionServer(vi);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const cursor = async () =>
  (await db.selectFrom('journey_state').select('cursor_seq').executeTakeFirstOrThrow()).cursor_seq;
const stored = async () => ({
  runs: (await db.selectFrom('journey_runs').select('id').execute()).length,
  emails: (await db.selectFrom('outbox').select('id').execute()).length,
});

it('composes on the thread: every email is stored and counted, as on the pass’s own thread', async () => {
  const done = await journeyPass(db, options);
  expect(composeThread.started).toBe(1);
  expect(composeThread.posts, 'one request per group with emails').toBe(2);
  expect(done.sent).toBe(PEOPLE);
  expect(await stored()).toEqual({ runs: done.processed, emails: PEOPLE });
  expect(await cursor()).toBe(done.cursor);
});

it('a thread that crashes with two groups in it fails that pass only, unhandled nowhere; the next composes here', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    // The thread holds the first group's emails, and crashes once the second group's are asked for.
    composeThread.answers = false;
    composeThread.onPost = (n, worker) => {
      if (n === 2)
        setImmediate(() => {
          worker.emit('error', new Error('out of memory (test)'));
          worker.emit('exit', 1);
        });
    };
    await expect(journeyPass(db, options)).rejects.toThrow('out of memory (test)');
    // Node reports an unhandled rejection once the microtasks after it have run.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
    expect(await cursor()).toBe(0);
    expect(await stored()).toEqual({ runs: 0, emails: 0 });

    const threads = composeThread.started;
    const done = await journeyPass(db, options);
    expect(composeThread.started, 'no new thread: this process composes on its own thread from now on').toBe(threads);
    expect(composeThread.posts, 'nothing more asked of a thread').toBe(2);
    expect(done.sent).toBe(PEOPLE);
    expect(await stored()).toEqual({ runs: done.processed, emails: PEOPLE });
    const failures = logged.mock.calls.filter(([first]) => String(first).includes('the composing thread failed'));
    expect(failures, 'logged once').toHaveLength(1);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});
