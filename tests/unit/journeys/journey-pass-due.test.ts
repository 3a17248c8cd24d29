import type { KyselyPlugin } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { addedToCart, cleanserCart, freshDb, identify, ingest, MINUTE, T0, testClock } from '../cdp/support';

// A pass re-evaluates a run in flight only when something can have changed for it: its profile has new events, its
// profile changed without one (a server copy replacing a browser copy, a merge, a re-link), or a time it waits for
// has come (its due_at). Anyone with the public key can hold thousands of anonymous carts for 72 h: a pass with no
// new events must not reload them all every minute.
const HOUR = 60 * MINUTE;
const HELD = 3_000;
let db: DB;
let clock: ReturnType<typeof testClock>;

/** Counts the statements a database handle sends. */
function statementCounter() {
  let count = 0;
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => (count++, node),
    transformResult: async ({ result }) => result,
  };
  return { plugin, count: () => count };
}
const pass = (on: DB = db) => journeyPass(on, { now: clock.now, liveCartStrategy: 'hold', appUrl: 'http://shop.test' });
/** The statements of one pass. */
async function statementsOfPass(): Promise<number> {
  const counter = statementCounter();
  await pass(db.withPlugin(counter.plugin));
  return counter.count();
}
const holdRuns = (status: string) =>
  db
    .selectFrom('journey_runs')
    .select('person_id')
    .where('journey_id', '=', 'cart-recovery-hold')
    .where('status', '=', status)
    .execute();

/** `n` anonymous carts, each held for an email by the hold journey. */
async function holdCarts(n: number, prefix: string) {
  const adds = Array.from({ length: n }, (_, i) => addedToCart(`${prefix}-${i}`));
  for (let i = 0; i < adds.length; i += 500) await ingest(db, adds.slice(i, i + 500), clock.now, { trusted: false });
  await pass();
}

beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
});

it(`a pass with no new events over ${HELD} held runs not due sends what a pass over nothing sends`, async () => {
  await pass();
  clock.advance(MINUTE);
  const nothing = await statementsOfPass();
  await holdCarts(HELD, 'anon');
  expect(await holdRuns('held')).toHaveLength(HELD);
  clock.advance(MINUTE);
  expect(await statementsOfPass()).toBe(nothing);
}, 120_000);

it('a held run still resolves: by its profile getting an email, or by its hold coming due', async () => {
  await holdCarts(50, 'anon');
  clock.advance(HOUR);
  await ingest(db, [identify('cus_ada', 'anon-7', { email: 'ada@example.com', cart: cleanserCart })], clock.now);
  await pass();
  expect(await holdRuns('waiting')).toEqual([{ person_id: 'cus_ada' }]);
  clock.advance(HOUR);
  await pass();
  expect(await holdRuns('sent')).toEqual([{ person_id: 'cus_ada' }]);

  // 72 h after the adds (inclusive) they are still held; 1 ms later every one has timed out.
  clock.advance(70 * HOUR);
  await pass();
  expect(await holdRuns('held')).toHaveLength(49);
  clock.advance(1);
  await pass();
  expect(await holdRuns('held')).toEqual([]);
  expect(await holdRuns('exited')).toHaveLength(49);
});

it('a held run moves when its profile changes without a new event: the server copy of a held-back identify', async () => {
  await holdCarts(1, 'anon');
  // A browser identify without a signature is held back (not linked); a pass runs meanwhile.
  const identity = identify('cus_ada', 'anon-0', { email: 'ada@example.com', cart: cleanserCart });
  await ingest(db, [identity], clock.now, { trusted: false });
  clock.advance(MINUTE);
  await pass();
  expect(await holdRuns('held')).toEqual([{ person_id: 'anon-0' }]);
  // The server's copy (same messageId) places it: no new event, yet the cart is now a person's with an email.
  clock.advance(MINUTE);
  await ingest(db, [identity], clock.now);
  await pass();
  expect(await holdRuns('waiting')).toEqual([{ person_id: 'cus_ada' }]);
  clock.advance(HOUR);
  await pass();
  expect(await holdRuns('sent')).toEqual([{ person_id: 'cus_ada' }]);
});

it("a run whose cart another person's identify took along exits at the next pass, not when it comes due", async () => {
  // Bo has a cart of his own; Ada adds on a shared device, then Bo is identified on it (as in journey-pass.test.ts).
  const bo = { email: 'bo@example.com', cart: cleanserCart };
  await ingest(db, [identify('cus_bo', 'anon-bo', bo), { ...addedToCart('anon-bo'), userId: 'cus_bo' }], clock.now);
  await pass();
  clock.advance(MINUTE);
  await ingest(db, [identify('cus_ada', 'anon-9', { email: 'ada@example.com', cart: cleanserCart })], clock.now);
  clock.advance(MINUTE);
  await ingest(db, [addedToCart('anon-9')], clock.now);
  await pass();
  const ada = () =>
    db
      .selectFrom('journey_runs')
      .selectAll()
      .where('person_id', '=', 'cus_ada')
      .where('journey_id', '=', 'cart-recovery-hold')
      .execute();
  expect(await ada()).toMatchObject([{ status: 'waiting' }]);
  // The add goes with its anonymous id to Bo: no new event of Ada's, and her run is due only in an hour.
  clock.advance(10 * MINUTE);
  await ingest(db, [identify('cus_bo', 'anon-9', bo)], clock.now);
  await pass();
  expect(await ada()).toMatchObject([{ status: 'exited', reason: 'trigger_moved', ended_at: clock.now.toISOString() }]);
});
