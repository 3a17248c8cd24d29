import { beforeEach, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { getPerson } from '@/lib/cdp/read/people';
import { getAnonymousActivity, getTimeline } from '@/lib/cdp/read/timeline';
import { qualityReport } from '@/lib/cdp/read/quality-report';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { mintIdentitySignature } from '@/lib/tracking/identity-signature';
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
} from './support';

// An email is claimed, not vouched for, when only a browser said it: the public write key can post an anonymous
// identify with any `traits.email`, and those traits join whoever that anonymous id is identified as (the shop's own
// server identifies a signed-in shopper's browser with no email on every cart change). Such a claim must never take
// an address someone else holds, nor keep the shop's server from vouching for it (README, identity rule 6 and
// "Anonymous traits").
const HOUR = 60 * MINUTE;
const ATTACKER = 'cus_attacker00000000';
const VICTIM = 'cus_victim0000000000';
const VICTIM_EMAIL = 'victim@example.com';

let db: DB;
let clock: ReturnType<typeof testClock>;
const browser = { trusted: false };
const person = (id: string) => getPerson(db, id);
const anonymousIdentify = (anonymousId: string, traits: Record<string, unknown>) =>
  call('identify', { anonymousId, traits }, '@customerio/cdp-analytics-browser');
const holdersOf = async (email: string) =>
  (await db.selectFrom('cdp_people').select('id').where('email', '=', email).orderBy('id').execute()).map((p) => p.id);
const conflictsOf = async (rows: { violations: { kind: string; path?: string; message: string }[] }[]) =>
  rows.flatMap((e) => e.violations.filter((v) => v.kind === 'identity_conflict'));

beforeEach(async () => {
  db = await freshDb();
  clock = testClock(T0);
  // The attacker signs up: an ordinary account, identified by the shop's server.
  await ingest(db, [identify(ATTACKER, 'attacker-signup', { email: 'att@example.com' })], clock.now);
});

/**
 * The two ways a signed-in attacker gets an identify without an email for the anonymous id their browser holds:
 * the shop's server mirroring a cart change (server key, `mirrorCartChange`), or a signed browser identify that
 * leaves `traits.email` out (the signature covers only the ids then).
 */
const identifyWithoutEmail = {
  'the shop’s cart mirror (server key)': async (anonymousId: string) =>
    ingest(db, [identify(ATTACKER, anonymousId, { cart: cleanserCart })], clock.now),
  'a signed browser identify without traits.email': async (anonymousId: string) => {
    const identity_signature = await mintIdentitySignature(
      SERVER_WRITE_KEY,
      { userId: ATTACKER, anonymousId },
      clock.now,
    );
    const signed = { ...identify(ATTACKER, anonymousId, { cart: cleanserCart }), context: { identity_signature } };
    return ingest(db, [signed], clock.now, browser);
  },
};

/** The attacker claims `email` on a fresh anonymous id with the browser key, then gets it identified as them. */
async function claimThroughCarriedTraits(email: string, identifyAttacker: (anonymousId: string) => Promise<unknown>) {
  await ingest(db, [anonymousIdentify('attacker-cookie', { email, first_name: 'Mallory' })], clock.now, browser);
  clock.advance(MINUTE);
  await identifyAttacker('attacker-cookie');
  clock.advance(MINUTE);
}

describe.each(Object.entries(identifyWithoutEmail))(
  'an email claimed on an anonymous profile, carried by %s',
  (_, identifyAttacker) => {
    it('a victim who signs up later gets her address, her traits and her cart: the claim is withdrawn', async () => {
      await claimThroughCarriedTraits(VICTIM_EMAIL, identifyAttacker);
      // Nobody held the address: Customer.io's "later traits win", but only as a claim (email_trusted is theirs).
      expect(await person(ATTACKER)).toMatchObject({
        email: VICTIM_EMAIL,
        email_trusted: 'att@example.com',
        traits: { email: VICTIM_EMAIL, first_name: 'Mallory', cart: cleanserCart },
      });

      // The victim signs up: the shop's server vouches for her address.
      await ingest(db, [addedToCart('victim-phone')], clock.now, browser);
      await ingest(
        db,
        [identify(VICTIM, 'victim-phone', { email: VICTIM_EMAIL, first_name: 'V', cart: cleanserCart })],
        clock.now,
      );

      expect(await person(VICTIM)).toMatchObject({
        email: VICTIM_EMAIL,
        email_trusted: VICTIM_EMAIL,
        traits: { email: VICTIM_EMAIL, first_name: 'V', cart: cleanserCart },
        anonymous_ids: ['victim-phone'],
      });
      expect(await conflictsOf(await getTimeline(db, VICTIM))).toEqual([]);
      // The attacker's person falls back to the address the shop vouched for them; nobody was merged.
      expect(await person(ATTACKER)).toMatchObject({
        email: 'att@example.com',
        email_trusted: 'att@example.com',
        traits: { email: 'att@example.com', first_name: 'Mallory', cart: cleanserCart },
        merged_from: [],
      });
      expect(await holdersOf(VICTIM_EMAIL)).toEqual([VICTIM]);
      expect(await db.selectFrom('cdp_merges').selectAll().execute()).toEqual([]);

      // And she gets her cart email, to her address.
      const pass = () => journeyPass(db, { now: clock.now, liveCartStrategy: 'lookback', appUrl: 'http://shop.test' });
      await pass();
      clock.advance(HOUR);
      await pass();
      const messages = await db.selectFrom('outbox').select(['person_id', 'to_email', 'html']).execute();
      expect(messages.filter((m) => m.person_id === VICTIM).map((m) => m.to_email)).toEqual([VICTIM_EMAIL]);
      expect(messages.find((m) => m.person_id === VICTIM)!.html).toContain(cartItem.name);
      expect(messages.filter((m) => m.to_email === VICTIM_EMAIL).map((m) => m.person_id)).toEqual([VICTIM]);
    });

    it('a victim who already has the address keeps it alone: the email is not carried, the other traits are', async () => {
      await ingest(db, [identify(VICTIM, 'victim-phone', { email: VICTIM_EMAIL, first_name: 'V' })], clock.now);
      clock.advance(MINUTE);
      await claimThroughCarriedTraits('Victim@Example.com ', identifyAttacker);

      expect(await holdersOf(VICTIM_EMAIL)).toEqual([VICTIM]);
      expect(await person(ATTACKER)).toMatchObject({
        email: 'att@example.com',
        email_trusted: 'att@example.com',
        traits: { email: 'att@example.com', first_name: 'Mallory', cart: cleanserCart },
      });
      expect(await person(VICTIM)).toMatchObject({
        email: VICTIM_EMAIL,
        traits: { email: VICTIM_EMAIL, first_name: 'V' },
      });
      // The anonymous identify says why its email stayed behind (timeline, data-quality view); the attacker's own
      // identify was applied.
      const claim = (await getAnonymousActivity(db, 'attacker-cookie')).events.find(
        (e) => e.type === 'identify' && !e.user_id,
      )!;
      expect(claim.person_id).toBe(ATTACKER);
      expect(await conflictsOf([claim])).toEqual([
        expect.objectContaining({
          path: 'traits.email',
          message: expect.stringContaining(`belongs to person ${VICTIM}`),
        }),
      ]);
      expect(await conflictsOf(await getTimeline(db, ATTACKER))).toHaveLength(1);
      expect((await qualityReport(db)).find((r) => r.type === 'identify')!.violations).toEqual({
        identity_conflict: 1,
      });

      // Her own later identifies still go through.
      await ingest(db, [identify(VICTIM, 'victim-phone', { email: VICTIM_EMAIL, plan: 'vip' })], clock.now);
      expect((await person(VICTIM))!.traits).toMatchObject({ plan: 'vip' });
      expect(await conflictsOf(await getTimeline(db, VICTIM))).toEqual([]);
    });
  },
);

describe('carried emails and the email rule', () => {
  it('a claim never takes an address another claim holds: first come, and the second is told whose it is', async () => {
    const OTHER = 'cus_other00000000000';
    await ingest(db, [identify(OTHER, 'other-signup', { email: 'other@example.com' })], clock.now);
    await claimThroughCarriedTraits(VICTIM_EMAIL, identifyWithoutEmail['the shop’s cart mirror (server key)']);
    await ingest(db, [anonymousIdentify('other-cookie', { email: VICTIM_EMAIL })], clock.now, browser);
    await ingest(db, [identify(OTHER, 'other-cookie', { cart: cleanserCart })], clock.now);
    expect(await holdersOf(VICTIM_EMAIL)).toEqual([ATTACKER]);
    expect((await person(OTHER))!.email).toBe('other@example.com');
    const [claim] = (await getAnonymousActivity(db, 'other-cookie')).events;
    expect(await conflictsOf([claim!])).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`belongs to person ${ATTACKER}`) }),
    ]);
  });

  it('a claim never merges anyone: not even a lead known only by that address', async () => {
    const LEAD = 'lead@example.com';
    await ingest(db, [identify(LEAD, undefined, { email: LEAD })], clock.now);
    clock.advance(MINUTE);
    // A new customer with no email yet (Customer.io would merge them with the lead on an email they vouch for).
    await ingest(db, [anonymousIdentify('new-cookie', { email: LEAD })], clock.now, browser);
    await ingest(db, [identify('cus_new0000000000000', 'new-cookie', { cart: cleanserCart })], clock.now);
    expect(await db.selectFrom('cdp_merges').selectAll().execute()).toEqual([]);
    expect(await person('cus_new0000000000000')).toMatchObject({ email: null, traits: { cart: cleanserCart } });
    expect(await holdersOf(LEAD)).toEqual([LEAD]);
  });

  it('an email the shop’s server sent on an anonymous identify wins over a claim, as the identify’s own would', async () => {
    await claimThroughCarriedTraits(VICTIM_EMAIL, identifyWithoutEmail['the shop’s cart mirror (server key)']);
    await ingest(db, [call('identify', { anonymousId: 'victim-phone', traits: { email: VICTIM_EMAIL } })], clock.now);
    await ingest(db, [identify(VICTIM, 'victim-phone', { cart: cleanserCart })], clock.now);
    expect(await person(VICTIM)).toMatchObject({ email: VICTIM_EMAIL, email_trusted: VICTIM_EMAIL });
    expect(await person(ATTACKER)).toMatchObject({ email: 'att@example.com', traits: { email: 'att@example.com' } });
    expect(await holdersOf(VICTIM_EMAIL)).toEqual([VICTIM]);
  });

  it('an identify that sets its own email wins over carried ones, without looking at them', async () => {
    await ingest(db, [identify(VICTIM, 'victim-phone', { email: VICTIM_EMAIL })], clock.now);
    await ingest(db, [anonymousIdentify('att-2', { email: VICTIM_EMAIL, skin_type: 'dry' })], clock.now, browser);
    await ingest(db, [identify(ATTACKER, 'att-2', { email: 'att@example.com' })], clock.now);
    expect((await person(ATTACKER))!.traits).toEqual({ email: 'att@example.com', skin_type: 'dry' });
    expect(await conflictsOf(await getTimeline(db, ATTACKER))).toEqual([]);
    expect(await holdersOf(VICTIM_EMAIL)).toEqual([VICTIM]);
  });

  it('an address two people share from before (a claim carried unchecked) goes back to its owner at her next identify', async () => {
    await ingest(db, [identify(VICTIM, 'victim-phone', { email: VICTIM_EMAIL })], clock.now);
    // What the unchecked carry left behind: the attacker's person holding her address as a claim.
    await db
      .updateTable('cdp_people')
      .set({ email: VICTIM_EMAIL, traits: JSON.stringify({ email: VICTIM_EMAIL }) })
      .where('id', '=', ATTACKER)
      .execute();
    expect(await holdersOf(VICTIM_EMAIL)).toEqual([ATTACKER, VICTIM]);
    await ingest(db, [identify(VICTIM, 'victim-phone', { email: VICTIM_EMAIL, cart: cleanserCart })], clock.now);
    expect(await holdersOf(VICTIM_EMAIL)).toEqual([VICTIM]);
    expect(await person(ATTACKER)).toMatchObject({ email: 'att@example.com', traits: { email: 'att@example.com' } });
    expect((await person(VICTIM))!.traits).toEqual({ email: VICTIM_EMAIL, cart: cleanserCart });
  });

  it('a withdrawn claimant whose own address went to someone else is left with none, never sharing it', async () => {
    await claimThroughCarriedTraits(VICTIM_EMAIL, identifyWithoutEmail['the shop’s cart mirror (server key)']);
    // Since then, the attacker's old address was vouched for to another customer (emails are unique in the shop).
    await ingest(db, [identify('cus_next000000000000', 'next', { email: 'att@example.com' })], clock.now);
    await ingest(db, [identify(VICTIM, 'victim-phone', { email: VICTIM_EMAIL })], clock.now);
    expect(await person(ATTACKER)).toMatchObject({ email: null, traits: { first_name: 'Mallory' } });
    expect((await person(ATTACKER))!.traits).not.toHaveProperty('email');
    expect(await holdersOf(VICTIM_EMAIL)).toEqual([VICTIM]);
    expect(await holdersOf('att@example.com')).toEqual(['cus_next000000000000']);
  });
});

describe('the identity signature binds traits.email whatever its type', () => {
  const shopper = ATTACKER;
  const heldReasons = async (anonymousId: string) =>
    (await getAnonymousActivity(db, anonymousId)).events.flatMap((e) =>
      e.violations.flatMap((v) => (v.kind === 'unverified_identity' ? [v.reason] : [])),
    );

  it.each([
    ['an array', [VICTIM_EMAIL]],
    ['an object', { address: VICTIM_EMAIL }],
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
  ])('an email sent as %s is one the signature does not cover: held, never applied', async (_, email) => {
    const identity_signature = await mintIdentitySignature(
      SERVER_WRITE_KEY,
      { userId: shopper, anonymousId: 'attacker-laptop' },
      clock.now,
    );
    const result = await ingest(
      db,
      [{ ...identify(shopper, 'attacker-laptop', { email, plan: 'vip' }), context: { identity_signature } }],
      clock.now,
      browser,
    );
    expect(result).toMatchObject({ stored: 1 });
    expect(await heldReasons('attacker-laptop')).toEqual(['wrong_email']);
    const [held] = (await getAnonymousActivity(db, 'attacker-laptop')).events;
    expect(held).toMatchObject({ type: 'identify', person_id: null });
    expect(await person(shopper)).toMatchObject({
      email: 'att@example.com',
      email_trusted: 'att@example.com',
      traits: { email: 'att@example.com' },
      anonymous_ids: ['attacker-signup'],
    });
  });

  it('the same call with the email as text its signature covers is applied', async () => {
    const identity_signature = await mintIdentitySignature(
      SERVER_WRITE_KEY,
      { userId: shopper, anonymousId: 'attacker-laptop', email: 'att@example.com' },
      clock.now,
    );
    await ingest(
      db,
      [
        {
          ...identify(shopper, 'attacker-laptop', { email: 'att@example.com', plan: 'vip' }),
          context: { identity_signature },
        },
      ],
      clock.now,
      browser,
    );
    expect(await heldReasons('attacker-laptop')).toEqual([]);
    expect((await person(shopper))!.traits).toEqual({ email: 'att@example.com', plan: 'vip' });
  });
});
