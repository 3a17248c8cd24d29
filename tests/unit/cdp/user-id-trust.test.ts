import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { getAnonymousActivity, getTimeline } from '@/lib/cdp/read/timeline';
import { qualityReport } from '@/lib/cdp/read/quality-report';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { mintIdentitySignature } from '@/lib/tracking/identity-signature';
import {
  addedToCart,
  cleanserCart,
  DAY,
  freshDb,
  identify,
  ingest,
  MINUTE,
  SERVER_WRITE_KEY,
  T0,
  testClock,
  track,
} from './support';

// The browser write key is public, so a track/page/screen naming a customer's userId proves nothing: it joins that
// person only when its anonymous id is already linked to them (a signed identify, or the shop's server), or it
// carries a signature for that userId. Otherwise it stays on its anonymous profile, flagged `unverified_user_id`.
const VICTIM = 'cus_victim0000000000';
const STRANGER = 'cus_stranger00000000';

let db: DB;
let clock: ReturnType<typeof testClock>;
const browser = { trusted: false };
const sign = (userId: string, anonymousId: string) =>
  mintIdentitySignature(SERVER_WRITE_KEY, { userId, anonymousId }, clock.now);
const signed = (c: ReturnType<typeof track>, identity_signature: string) => ({
  ...c,
  context: { ...(c.context as object), identity_signature },
});
const forgedOrder = (anonymousId?: string) =>
  track('Order Completed', { userId: VICTIM, anonymousId, properties: { order_id: 'ord_forged', total: 1 } });
const namesOn = async (userId: string) => (await getTimeline(db, userId)).map((e) => e.name);
const anonymousEvents = async (anonymousId: string) =>
  (await getAnonymousActivity(db, anonymousId)).events.map((e) => ({
    name: e.name ?? e.type,
    person_id: e.person_id,
    flagged: e.violations.some((v) => v.kind === 'unverified_user_id'),
  }));

beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
  // The victim's cart, then the shop's server identifies her with that browser (the server key links it).
  await ingest(db, [addedToCart('victim-phone')], clock.now, browser);
  await ingest(db, [identify(VICTIM, 'victim-phone', { email: 'victim@example.test', cart: cleanserCart })], clock.now);
});

describe("a browser call naming someone's userId", () => {
  it("from a stranger's anonymous id stays on that anonymous profile, flagged, off the victim", async () => {
    expect(await ingest(db, [forgedOrder('stranger-laptop')], clock.now, browser)).toMatchObject({ stored: 1 });
    expect(await namesOn(VICTIM)).not.toContain('Order Completed');
    expect(await anonymousEvents('stranger-laptop')).toEqual([
      { name: 'Order Completed', person_id: null, flagged: true },
    ]);
    const row = (await qualityReport(db)).find((r) => r.name === 'Order Completed')!;
    expect(row.violations).toMatchObject({ unverified_user_id: 1 });
  });

  it('from the anonymous id her own signed identify linked joins her', async () => {
    const token = await sign(VICTIM, 'victim-laptop');
    await ingest(db, [signed(identify(VICTIM, 'victim-laptop'), token)], clock.now, browser);
    clock.advance(10 * MINUTE);
    await ingest(db, [forgedOrder('victim-laptop')], clock.now, browser);
    expect(await namesOn(VICTIM)).toContain('Order Completed');
  });

  it('from the anonymous id the server linked (server-key identify) joins her', async () => {
    await ingest(db, [forgedOrder('victim-phone')], clock.now, browser);
    expect(await namesOn(VICTIM)).toContain('Order Completed');
  });

  it('after a signed identify earlier in the same batch joins her; an unsigned one earlier does not', async () => {
    await ingest(
      db,
      [signed(identify(VICTIM, 'victim-tablet'), await sign(VICTIM, 'victim-tablet')), forgedOrder('victim-tablet')],
      clock.now,
      browser,
    );
    expect(await namesOn(VICTIM)).toContain('Order Completed');
    await ingest(db, [identify(VICTIM, 'stranger-laptop'), forgedOrder('stranger-laptop')], clock.now, browser);
    expect((await anonymousEvents('stranger-laptop')).map((e) => [e.name, e.person_id])).toEqual([
      ['identify', null],
      ['Order Completed', null],
    ]);
  });

  it('with a signature for exactly its userId and anonymous id joins her; one for another id does not', async () => {
    const forVictim = await sign(VICTIM, 'victim-desk');
    await ingest(db, [signed(forgedOrder('victim-desk'), forVictim)], clock.now, browser);
    expect(await namesOn(VICTIM)).toContain('Order Completed');
    const forStranger = await sign(STRANGER, 'stranger-laptop');
    await ingest(db, [signed(forgedOrder('stranger-laptop'), forStranger)], clock.now, browser);
    expect((await anonymousEvents('stranger-laptop'))[0]).toMatchObject({ person_id: null, flagged: true });
  });

  it('without an anonymous id is refused (`untrusted`), not stored', async () => {
    expect(await ingest(db, [forgedOrder()], clock.now, browser)).toMatchObject({ stored: 0, rejected: 1 });
    const rejections = await db.selectFrom('cdp_rejections').select('reason').execute();
    expect(rejections).toEqual([{ reason: 'untrusted' }]);
    expect(await namesOn(VICTIM)).not.toContain('Order Completed');
  });

  it('the server key needs no link', async () => {
    await ingest(db, [forgedOrder('stranger-laptop')], clock.now);
    expect(await namesOn(VICTIM)).toContain('Order Completed');
  });
});

describe('a call kept anonymous', () => {
  it("joins the person it names once that browser is verified as them, and nobody else's", async () => {
    await ingest(db, [forgedOrder('shared-laptop')], clock.now, browser);
    // The stranger signs into their own account there: the call names someone else, so it stays anonymous.
    await ingest(db, [identify(STRANGER, 'shared-laptop')], clock.now);
    expect(await namesOn(STRANGER)).not.toContain('Order Completed');
    // Later the victim signs in on that browser: it is hers after all.
    await ingest(db, [identify(VICTIM, 'shared-laptop')], clock.now);
    expect(await namesOn(VICTIM)).toContain('Order Completed');
    // The stranger identifies that browser as themselves again: the browser's anonymous events go with it (rule 5),
    // the call naming her stays hers (it went to the stranger, who could have been mailed about her order).
    clock.advance(60 * MINUTE);
    await ingest(db, [identify(STRANGER, 'shared-laptop')], clock.now);
    expect(await namesOn(VICTIM)).toContain('Order Completed');
    expect(await namesOn(STRANGER)).not.toContain('Order Completed');
  });

  it('sent by the SDK just before its signed identify arrived, joins her and loses its flag', async () => {
    // The browser SDK's page call can overtake the identify that set its userId: a moment later it is verified.
    const page = { ...forgedOrder('victim-laptop'), type: 'page', name: 'Account' };
    await ingest(db, [page], clock.now, browser);
    clock.advance(MINUTE);
    const token = await sign(VICTIM, 'victim-laptop');
    await ingest(db, [signed(identify(VICTIM, 'victim-laptop'), token)], clock.now, browser);
    const onVictim = (await getTimeline(db, VICTIM)).find((e) => e.type === 'page');
    expect(onVictim?.violations.map((v) => v.kind)).not.toContain('unverified_user_id');
    expect((await qualityReport(db)).find((r) => r.type === 'page')?.violations).not.toHaveProperty(
      'unverified_user_id',
    );
  });

  it("is placed on the person when the shop's server sends its copy of the same messageId", async () => {
    const browserCopy = forgedOrder('stranger-laptop');
    await ingest(db, [browserCopy], clock.now, browser);
    expect(await ingest(db, [browserCopy], clock.now)).toMatchObject({ duplicates: 1 });
    const order = (await getTimeline(db, VICTIM)).find((e) => e.name === 'Order Completed');
    expect(order?.trusted).toBe(true);
    expect(order?.violations.map((v) => v.kind)).not.toContain('unverified_user_id');
  });

  it('is held from Customer.io', async () => {
    await ingest(db, [forgedOrder('stranger-laptop')], clock.now, { ...browser, forward: true });
    const queue = await db.selectFrom('cdp_forward_queue').select(['status', 'last_error']).execute();
    expect(queue).toEqual([{ status: 'held', last_error: 'unverified_user_id' }]);
  });

  it('is purged after 30 days like anonymous activity, with its held forward; a call that joined a person is not', async () => {
    const { purgeAnonymous } = await import('@/lib/cdp/identity/purge');
    const forwarded = { ...browser, forward: true };
    await ingest(db, [forgedOrder('stranger-laptop')], clock.now, forwarded); // kept, never vouched for
    await ingest(db, [{ ...forgedOrder('victim-laptop'), type: 'page', name: 'Account' }], clock.now, forwarded);
    await ingest(db, [identify(VICTIM, 'victim-laptop')], clock.now); // …this one joins her
    await ingest(db, [identify(STRANGER, 'stranger-tablet')], clock.now, { trusted: false }); // held identity call
    clock.advance(30 * DAY + 1);

    expect(await purgeAnonymous(db, clock.now)).toBe(1); // the kept call (the victim's add to cart joined her)
    expect(await anonymousEvents('stranger-laptop')).toEqual([]);
    expect(await namesOn(VICTIM)).toContain('Account');
    expect(
      await db
        .selectFrom('cdp_events')
        .select('identity_check')
        .where('anonymous_id', '=', 'stranger-tablet')
        .execute(),
    ).toEqual([{ identity_check: 'unverified' }]);
    const queue = await db.selectFrom('cdp_forward_queue').select(['status', 'last_error']).execute();
    expect(queue).not.toContainEqual({ status: 'held', last_error: 'unverified_user_id' });
  });

  it('goes to Customer.io once a signed identify links its anonymous id to that person', async () => {
    const page = { ...forgedOrder('victim-laptop'), type: 'page', name: 'Account' };
    const forwarded = { ...browser, forward: true };
    await ingest(db, [page], clock.now, forwarded);
    const token = await sign(VICTIM, 'victim-laptop');
    await ingest(db, [signed(identify(VICTIM, 'victim-laptop'), token)], clock.now, forwarded);
    const queue = await db.selectFrom('cdp_forward_queue').select(['status', 'last_error']).orderBy('id').execute();
    expect(queue).toEqual([
      { status: 'pending', last_error: null },
      { status: 'pending', last_error: null },
    ]);
  });

  it("never ends the victim's cart recovery: the email still goes out", async () => {
    const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
    await pass();
    await ingest(db, [forgedOrder('stranger-laptop')], clock.now, browser);
    clock.advance(60 * MINUTE);
    await pass();
    const outbox = await db.selectFrom('outbox').select(['person_id', 'to_email']).execute();
    expect(outbox).toEqual([{ person_id: VICTIM, to_email: 'victim@example.test' }]);
  });
});
