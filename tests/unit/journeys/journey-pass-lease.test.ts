import { InsertQueryNode, type KyselyPlugin } from 'kysely';
import { afterAll, beforeEach, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { CLEANSER, freshDb, identify, ingest, T0, testClock, track } from '../cdp/support';
import { asProductionServer, composeThread, resetComposeThread } from '../support/compose-thread';

// A pass whose `journey-pass` lease is lost (renewals failing for its whole TTL, or another instance holding it
// now) stops at its next slice instead of carrying on beside the new holder: what it stored is idempotent and the
// new holder redoes the rest. withLease itself (lib/db/leases.ts, tests/unit/db/leases.test.ts) decides the loss;
// here it hands the pass a signal this file aborts.
const lease = vi.hoisted(() => ({ current: new AbortController() }));
vi.mock('@/lib/db/leases', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/db/leases')>()),
  withLease: (_db: unknown, _name: string, work: (signal: AbortSignal) => Promise<unknown>) =>
    work(lease.current.signal),
}));
// The composing thread of a production build, stood in for (../support/compose-thread.ts) by the last test.
vi.mock('node:worker_threads', async (original) =>
  (await import('../support/compose-thread')).workerThreadsStandIn(await original()),
);
afterAll(() => {
  vi.doUnmock('@/lib/db/leases');
  vi.doUnmock('node:worker_threads');
});
await import('@/lib/cdp/runtime/compose-worker');

const line = { ...CLEANSER, quantity: 1, image_url: 'http://shop.test/p.svg', product_url: 'http://shop.test/p/x' };
const cart = {
  items: [line],
  cart_value: CLEANSER.price,
  item_count: 1,
  currency: 'USD',
  schema_version: 1,
};
const added = (anonymousId: string, userId?: string) =>
  track('Added to Cart', {
    anonymousId,
    userId,
    properties: { added: { sku: CLEANSER.sku, variant_id: CLEANSER.variant_id, quantity: 1 }, ...cart },
  });

let db: DB;
beforeEach(async () => {
  lease.current = new AbortController();
  db = await freshDb();
  const clock = testClock(T0);
  // A person's cart (the pass's first slice: people) and a stranger's anonymous cart (a later slice).
  await ingest(
    db,
    [
      identify('cus_ada', 'anon-ada', { email: 'ada@example.com', cart: { ...cart, restore_url: 'http://x/r.sig' } }),
      added('anon-ada', 'cus_ada'),
      added('anon-stranger'),
    ],
    clock.now,
  );
});

/** The database handle, losing the lease the moment the pass stores its first runs (the people's slice). */
function losingLeaseOnFirstRuns(): DB {
  const plugin: KyselyPlugin = {
    transformQuery({ node }) {
      if (
        InsertQueryNode.is(node) &&
        node.into?.table.identifier.name === 'journey_runs' &&
        !lease.current.signal.aborted
      )
        lease.current.abort(Object.assign(new Error('lease "journey-pass" lost (test)'), { name: 'LeaseLostError' }));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return db.withPlugin(plugin);
}

const runsOf = (profileId: string) =>
  db.selectFrom('journey_runs').select('journey_id').where('person_id', '=', profileId).execute();

it('a pass that loses its lease stops at its next slice: the cursor stays, later slices are left to the new holder', async () => {
  const pass = journeyPass(losingLeaseOnFirstRuns(), {
    now: new Date(T0.getTime() + 60_000),
    liveCartStrategy: 'lookback',
    appUrl: 'http://shop.test',
  });
  await expect(pass).rejects.toMatchObject({ name: 'LeaseLostError' });
  const { cursor_seq } = await db.selectFrom('journey_state').select('cursor_seq').executeTakeFirstOrThrow();
  expect(cursor_seq, 'the cursor moves only at the end of a whole pass').toBe(0);
  expect((await runsOf('cus_ada')).length, 'the slice stored before the loss stays (idempotent)').toBeGreaterThan(0);
  expect(await runsOf('anon-stranger'), 'no slice after the loss').toEqual([]);

  // The next holder (here: a pass with its lease) redoes the whole pass.
  lease.current = new AbortController();
  await journeyPass(db, { now: new Date(T0.getTime() + 60_000), liveCartStrategy: 'lookback', appUrl: 'http://x' });
  expect((await runsOf('anon-stranger')).length).toBeGreaterThan(0);
});

it('a group still composing on its thread when the lease is lost is not stored beside the new holder', async () => {
  resetComposeThread();
  asProductionServer(vi);
  try {
    // Lost as the thread is asked for the people's emails: the pass stops at its next slice, and the people's group,
    // composed meanwhile, must not be stored after the loss (the new holder may be storing it).
    composeThread.onPost = () =>
      lease.current.abort(Object.assign(new Error('lease "journey-pass" lost (test)'), { name: 'LeaseLostError' }));
    // Two hours on: Ada's cart email is due.
    const pass = journeyPass(db, {
      now: new Date(T0.getTime() + 7_200_000),
      liveCartStrategy: 'lookback',
      appUrl: 'x',
    });
    await expect(pass).rejects.toMatchObject({ name: 'LeaseLostError' });
    expect(composeThread.posts).toBe(1);
    expect(await runsOf('cus_ada'), 'nothing stored after the loss').toEqual([]);
    expect(await db.selectFrom('outbox').select('id').execute()).toEqual([]);
  } finally {
    vi.unstubAllEnvs();
  }
});
