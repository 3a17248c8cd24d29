import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { getPerson } from '@/lib/cdp/read/people';
import { getAnonymousActivity, getTimeline } from '@/lib/cdp/read/timeline';
import { qualityReport } from '@/lib/cdp/read/quality-report';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { IDENTITY_SIGNATURE_TTL_MS, mintIdentitySignature } from '@/lib/tracking/identity-signature';
import {
  addedToCart,
  call,
  cartItem,
  cleanserCart,
  freshDb,
  identify,
  ingest,
  MINUTE,
  SERVER_WRITE_KEY,
  T0,
  testClock,
  track,
} from './support';

// Issue 9 §1: the browser write key is public. Everything sent with it alone (trusted: false) must leave every
// identity as it was; only the server key, or a signature the server minted, may change one.
const HOUR = 60 * MINUTE;
const VICTIM = 'cus_victim0000000000';
const ATTACKER = 'cus_attacker00000000';

let db: DB;
let clock: ReturnType<typeof testClock>;
const browser = { trusted: false };
const sign = (claims: { userId: string; anonymousId?: string | null; email?: string | null }, now = clock.now) =>
  mintIdentitySignature(SERVER_WRITE_KEY, claims, now);
const signed = (c: ReturnType<typeof call>, identity_signature: string) => ({ ...c, context: { identity_signature } });
const person = async (id: string) => getPerson(db, id);
const anonymousOf = async (id: string) => getAnonymousActivity(db, id);
const merges = () => db.selectFrom('cdp_merges').selectAll().execute();
const outbox = () => db.selectFrom('outbox').selectAll().execute();
const heldReasons = async (anonymousId: string) =>
  (await anonymousOf(anonymousId)).events.flatMap((e) =>
    e.violations.flatMap((v) => (v.kind === 'unverified_identity' ? [[e.type, v.reason]] : [])),
  );

beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
  // The victim: an anonymous cart, then the shop's server identifies her (server key) with that cart, as signup
  // does.
  await ingest(db, [addedToCart('victim-phone')], clock.now);
  await ingest(db, [identify(VICTIM, 'victim-phone', { email: 'victim@example.test', cart: cleanserCart })], clock.now);
  // The attacker browses with the public key only, and has a person of their own.
  await ingest(db, [track('Product Viewed', { anonymousId: 'attacker-laptop' })], clock.now, browser);
  await ingest(db, [identify(ATTACKER, undefined, { email: 'attacker@example.test' })], clock.now);
});

async function expectVictimUntouched() {
  expect(await merges()).toEqual([]);
  expect(await person(VICTIM)).toMatchObject({
    email: 'victim@example.test',
    email_trusted: 'victim@example.test',
    anonymous_ids: ['victim-phone'],
  });
  expect((await person(ATTACKER))?.email).toBe('attacker@example.test');
  expect((await anonymousOf('attacker-laptop')).person_id).toBeNull();
  expect((await getTimeline(db, VICTIM)).map((e) => e.anonymous_id)).toEqual(['victim-phone', 'victim-phone']);
}

async function expectRecoveryEmailToVictim() {
  const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
  await pass();
  clock.advance(HOUR);
  await pass();
  const messages = await outbox();
  expect(messages.map((m) => [m.person_id, m.to_email])).toEqual([[VICTIM, 'victim@example.test']]);
  expect(messages[0]!.html).toContain(cartItem.name);
}

describe('the three hijacks, sent with the public write key alone, change nothing', () => {
  it('identify { userId: attacker, email: victim } does not merge the victim into the attacker', async () => {
    await ingest(db, [identify(ATTACKER, 'attacker-laptop', { email: 'victim@example.test' })], clock.now, browser);
    await expectVictimUntouched();
    expect(await heldReasons('attacker-laptop')).toEqual([['identify', 'missing']]);
    await expectRecoveryEmailToVictim();
  });

  it("identify { userId: victim's id, email: attacker } neither repoints her email nor stitches the attacker", async () => {
    await ingest(db, [identify(VICTIM, 'attacker-laptop', { email: 'attacker@example.test' })], clock.now, browser);
    await expectVictimUntouched();
    expect((await person(VICTIM))?.traits).toEqual({ email: 'victim@example.test', cart: cleanserCart });
    await expectRecoveryEmailToVictim();
  });

  it('alias { previousId: victim, userId: attacker } merges nobody', async () => {
    await ingest(
      db,
      [call('alias', { previousId: VICTIM, userId: ATTACKER, anonymousId: 'attacker-laptop' })],
      clock.now,
      browser,
    );
    await expectVictimUntouched();
    expect(await heldReasons('attacker-laptop')).toEqual([['alias', 'missing']]);
    await expectRecoveryEmailToVictim();
  });

  it('a held call stays out of data that counts: quality flags it, a later real identify never stitches it', async () => {
    await ingest(db, [identify(VICTIM, 'attacker-laptop', { email: 'attacker@example.test' })], clock.now, browser);
    const identifyRow = (await qualityReport(db)).find((r) => r.type === 'identify')!;
    expect(identifyRow.violations).toEqual({ unverified_identity: 1 });
    // The attacker now signs into their own account: their browser is linked, the held call is not stitched.
    const token = await sign({ userId: ATTACKER, anonymousId: 'attacker-laptop' });
    await ingest(db, [signed(identify(ATTACKER, 'attacker-laptop'), token)], clock.now, browser);
    const attacker = await anonymousOf('attacker-laptop');
    expect(attacker.person_id).toBe(ATTACKER);
    expect(attacker.events.map((e) => [e.type, e.person_id])).toEqual([
      ['track', ATTACKER],
      ['identify', null],
      ['identify', ATTACKER],
    ]);
  });
});

describe('a browser identify counts only with a signature for exactly its ids', () => {
  const shopper = 'cus_shopper000000000';
  beforeEach(async () => {
    await ingest(db, [addedToCart('shopper-phone')], clock.now, browser);
  });

  it('a valid one links, stitches and sets the trusted email', async () => {
    const token = await sign({ userId: shopper, anonymousId: 'shopper-phone', email: 'shop@example.test' });
    await ingest(
      db,
      [signed(identify(shopper, 'shopper-phone', { email: 'shop@example.test' }), token)],
      clock.now,
      browser,
    );
    expect(await person(shopper)).toMatchObject({
      anonymous_ids: ['shopper-phone'],
      email_trusted: 'shop@example.test',
    });
    expect((await getTimeline(db, shopper)).map((e) => [e.type, e.stitched])).toEqual([
      ['track', true],
      ['identify', false],
    ]);
  });

  it('one for another anonymous id, another user, an uncovered email or past its expiry is held', async () => {
    const forOther = await sign({ userId: shopper, anonymousId: 'someone-else' });
    const forAttacker = await sign({ userId: ATTACKER, anonymousId: 'shopper-phone' });
    const withoutEmail = await sign({ userId: shopper, anonymousId: 'shopper-phone' });
    const expired = await sign({ userId: shopper, anonymousId: 'shopper-phone' }, new Date(T0.getTime() - HOUR));
    clock.advance(IDENTITY_SIGNATURE_TTL_MS / 2);
    await ingest(
      db,
      [
        signed(identify(shopper, 'shopper-phone'), forOther),
        signed(identify(shopper, 'shopper-phone'), forAttacker),
        signed(identify(shopper, 'shopper-phone', { email: 'victim@example.test' }), withoutEmail),
        signed(identify(shopper, 'shopper-phone'), expired),
        signed(identify(shopper, 'shopper-phone'), `${withoutEmail.slice(0, -4)}AAAA`),
      ],
      clock.now,
      browser,
    );
    expect(await heldReasons('shopper-phone')).toEqual([
      ['identify', 'wrong_anonymous_id'],
      ['identify', 'wrong_user'],
      ['identify', 'wrong_email'],
      ['identify', 'expired'],
      ['identify', 'bad_signature'],
    ]);
    expect(await person(shopper)).toBeNull();
    expect(await person(VICTIM)).toMatchObject({ email_trusted: 'victim@example.test' });
    // The signature is spent at ingest: never stored.
    expect((await anonymousOf('shopper-phone')).events.every((e) => !('identity_signature' in e.context))).toBe(true);
  });

  it('signatures expire on the wall clock, whatever the pipeline clock says', async () => {
    const token = await sign({ userId: shopper, anonymousId: 'shopper-phone' });
    clock.advance(24 * HOUR); // a manual pipeline clock moved a day ahead; the wall clock did not
    await ingest(db, [signed(identify(shopper, 'shopper-phone'), token)], clock.now, {
      ...browser,
      wallReceivedAt: T0,
    });
    expect((await person(shopper))?.anonymous_ids).toEqual(['shopper-phone']);
  });
});

describe('a server copy of a messageId wins over the browser copy', () => {
  const forged = () => {
    const c = addedToCart('shopper-phone');
    const item = { ...cartItem, name: 'Free money <script>', price: 0.01, image_url: 'https://evil.example/p.gif' };
    return { ...c, properties: { ...(c.properties as object), items: [item], cart_value: 0.01 } } as typeof c;
  };

  it('arriving after it: the stored content becomes the server’s and is marked trusted', async () => {
    const browserCopy = forged();
    await ingest(db, [browserCopy], clock.now, browser);
    const serverCopy = { ...addedToCart('shopper-phone'), messageId: browserCopy.messageId };
    expect(await ingest(db, [serverCopy], clock.now)).toMatchObject({ stored: 0, duplicates: 1 });
    const [event] = (await anonymousOf('shopper-phone')).events;
    expect(event).toMatchObject({ trusted: true, sources: ['client', 'server'], seen_count: 2, violations: [] });
    expect(event!.properties.items).toEqual([cartItem]);
  });

  it('arriving before it: the browser copy never replaces it', async () => {
    const serverCopy = addedToCart('shopper-phone');
    await ingest(db, [serverCopy], clock.now);
    await ingest(db, [{ ...forged(), messageId: serverCopy.messageId }], clock.now, browser);
    const [event] = (await anonymousOf('shopper-phone')).events;
    expect(event).toMatchObject({ trusted: true, sources: ['client', 'server'], seen_count: 2 });
    expect(event!.properties.items).toEqual([cartItem]);
  });

  it('naming other ids: the event moves to where the server says it belongs', async () => {
    // A forged copy squats a messageId under the victim's userId (kept on the attacker's anonymous profile, as
    // nothing vouches for that userId); the server's copy is the attacker's own.
    const squat = track('Order Completed', {
      userId: VICTIM,
      anonymousId: 'attacker-laptop',
      properties: { order_id: 'ord_x', total: 1 },
    });
    await ingest(db, [squat], clock.now, browser);
    expect((await anonymousOf('attacker-laptop')).events.map((e) => e.name)).toContain('Order Completed');
    await ingest(db, [{ ...squat, userId: ATTACKER }], clock.now);
    expect((await getTimeline(db, VICTIM)).map((e) => e.name)).not.toContain('Order Completed');
    expect((await getTimeline(db, ATTACKER)).map((e) => [e.name, e.trusted])).toContainEqual(['Order Completed', true]);
  });
});

describe('forwarding to Customer.io', () => {
  it('queues verified calls and records held ones as held, never to be sent', async () => {
    const opts = { ...browser, forward: true };
    const result = await ingest(
      db,
      [identify(VICTIM, 'attacker-laptop', { email: 'attacker@example.test' }), addedToCart('attacker-laptop')],
      clock.now,
      opts,
    );
    expect(result).toMatchObject({ stored: 2, forwarded: 1 });
    const queue = await db.selectFrom('cdp_forward_queue').select(['status', 'last_error']).orderBy('id').execute();
    expect(queue).toEqual([
      { status: 'held', last_error: 'unverified_identity: missing' },
      { status: 'pending', last_error: null },
    ]);
  });
});
