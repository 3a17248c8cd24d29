import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { addedToCart, call, cleanserCart, freshDb, identify, ingest, MINUTE, T0, testClock } from '../cdp/support';

// Identity decisions reaching a message: the address and attributes a journey uses are the ones the person's stored
// profile holds, as Customer.io's would (lib/cdp/README.md, identity rules 6 and 8). Real ingest, real passes.
const HOUR = 60 * MINUTE;
let db: DB;
let clock: ReturnType<typeof testClock>;
const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
const outbox = () => db.selectFrom('outbox').selectAll().execute();
const runOf = (journeyId: string) =>
  db.selectFrom('journey_runs').selectAll().where('journey_id', '=', journeyId).executeTakeFirst();
const added = (userId: string, anonymousId: string) => ({ ...addedToCart(anonymousId), userId });
/** Two passes an hour and more apart: the lookback journey enters at the identify and sends after its hour. */
async function sendDue() {
  await pass();
  clock.advance(2 * HOUR);
  await pass();
}

beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
});

describe('an identify refused because its email is another customer’s (identity rule 6)', () => {
  // Customer.io's "Failed Attribute Change": none of its traits apply, so nothing may go to that address.
  beforeEach(async () => {
    await ingest(db, [identify('cus_ann', 'ann-phone', { email: 'ann@example.com', first_name: 'Ann' })], clock.now);
    await ingest(
      db,
      [identify('cus_bea', 'bea-laptop', { first_name: 'Bea' }), added('cus_bea', 'bea-laptop')],
      clock.now,
    );
    clock.advance(MINUTE);
  });

  it('sends the second customer’s cart to nobody: they have no email of their own', async () => {
    await ingest(db, [identify('cus_bea', 'bea-laptop', { email: 'ANN@example.com', cart: cleanserCart })], clock.now);
    await sendDue();
    expect(await outbox()).toEqual([]);
    expect(await runOf('cart-recovery-lookback')).toMatchObject({ status: 'failed', reason: 'no_email' });
  });

  it('keeps the address and name the second customer had before it', async () => {
    await ingest(db, [identify('cus_bea', 'bea-laptop', { email: 'bea@example.com', cart: cleanserCart })], clock.now);
    clock.advance(MINUTE);
    await ingest(
      db,
      [identify('cus_bea', 'bea-laptop', { email: 'ann@example.com', first_name: 'Ann', cart: null })],
      clock.now,
    );
    await sendDue();
    const messages = await outbox();
    expect(messages.map((m) => [m.journey_id, m.person_id, m.to_email])).toEqual([
      ['cart-recovery-lookback', 'cus_bea', 'bea@example.com'],
    ]);
    expect(messages[0]!.html).toContain('Hi Bea,');
  });
});

describe('a person merged into another (alias, identity rule 8)', () => {
  // Customer.io: the primary keeps its attributes; only those it has unset or empty take the secondary's
  // (docs.customer.io/journeys/merge-people).
  beforeEach(async () => {
    await ingest(db, [identify('cus_pat', 'pat-phone', { email: 'pat@example.com', first_name: 'Pat' })], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [identify('cus_sam', 'sam-laptop', { email: 'sam@example.com', first_name: 'Sam' })], clock.now);
    clock.advance(MINUTE);
    await ingest(db, [call('alias', { userId: 'cus_pat', previousId: 'cus_sam' })], clock.now);
    clock.advance(MINUTE);
    await ingest(
      db,
      [added('cus_pat', 'pat-phone'), identify('cus_pat', 'pat-phone', { cart: cleanserCart })],
      clock.now,
    );
  });

  it('writes to the survivor’s own address, with the survivor’s name, as its stored profile says', async () => {
    await sendDue();
    const person = await db.selectFrom('cdp_people').selectAll().where('id', '=', 'cus_pat').executeTakeFirstOrThrow();
    expect(person.email).toBe('pat@example.com');
    const messages = await outbox();
    expect(messages.map((m) => [m.journey_id, m.person_id, m.to_email])).toEqual([
      ['cart-recovery-lookback', 'cus_pat', 'pat@example.com'],
    ]);
    expect(messages[0]!.html).toContain('Hi Pat,');
  });

  it('lets an identify after the merge change what the merge left', async () => {
    await ingest(db, [identify('cus_pat', 'pat-phone', { email: 'sam@example.com', first_name: 'Sam' })], clock.now);
    await sendDue();
    const messages = await outbox();
    expect(messages.map((m) => m.to_email)).toEqual(['sam@example.com']);
    expect(messages[0]!.html).toContain('Hi Sam,');
  });
});
