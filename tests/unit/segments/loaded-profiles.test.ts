import { expect, it } from 'vitest';
import { evaluateSegment, findSegment } from '@/lib/cdp/engine/segments';
import { loadPersonProfiles } from '@/lib/cdp/store/profile-loader';
import { segmentMemberCount } from '@/lib/cdp/read/segment-membership';
import { addedToCart, freshDb, identify, ingest, MINUTE, T0, track } from '../cdp/support';

// Segment rules whose answer depends on how a profile is loaded (stitching, the person's email), on profiles the
// real loader builds from real ingest and identity stitching rather than hand-made ones. A storage suite.
const HOUR = 60 * MINUTE;
const at = (ms: number) => new Date(T0.getTime() + ms);

it('cart abandoners: an anonymous cart stitched by a later identify counts from that identify, not before', async () => {
  const db = await freshDb();
  // Ada is known (with her email) from another device since yesterday; this device's cart was added anonymously.
  const known = identify('cus_ada', 'anon-0', { email: 'ada@example.com' });
  await ingest(db, [{ ...known, timestamp: at(-24 * HOUR).toISOString() }], at(-24 * HOUR));
  const added = { ...addedToCart('anon-1'), timestamp: at(-2 * HOUR).toISOString() };
  await ingest(db, [added], at(-2 * HOUR));
  await ingest(
    db,
    [{ ...identify('cus_ada', 'anon-1', { email: 'ada@example.com' }), timestamp: T0.toISOString() }],
    T0,
  );

  const [ada] = await loadPersonProfiles(db, ['cus_ada']);
  expect(ada).toMatchObject({ profileId: 'cus_ada', email: 'ada@example.com' });
  const cartAbandoners = findSegment('cart-abandoners')!;
  // Just before the identify her email is known and the add has happened, but the cart is not hers yet.
  expect(evaluateSegment(cartAbandoners, ada!, at(-1))).toBe(false);
  expect(evaluateSegment(cartAbandoners, ada!, T0)).toBe(true);
  // The window still runs from when the add happened: 4 h after it, inclusive.
  expect(evaluateSegment(cartAbandoners, ada!, at(2 * HOUR))).toBe(true);
  expect(evaluateSegment(cartAbandoners, ada!, at(2 * HOUR + 1))).toBe(false);
});

it('cart abandoners: an identify refused for another customer’s email gives no email, in the engine and in SQL', async () => {
  const db = await freshDb();
  await ingest(db, [identify('cus_ann', 'anon-a', { email: 'ann@example.com' })], at(-HOUR));
  await ingest(db, [identify('cus_bea', 'anon-b', { first_name: 'Bea' })], at(-HOUR));
  await ingest(db, [{ ...track('Added to Cart', { userId: 'cus_bea' }), anonymousId: 'anon-b' }], at(-HOUR));
  // Identity rule 6: both have an id and Ann holds the address, so none of this identify's traits apply.
  await ingest(db, [identify('cus_bea', 'anon-b', { email: 'ann@example.com' })], at(-MINUTE));

  const [bea] = await loadPersonProfiles(db, ['cus_bea']);
  expect(bea).toMatchObject({ email: null });
  expect(evaluateSegment(findSegment('cart-abandoners')!, bea!, T0)).toBe(false);
  expect(await segmentMemberCount(db, 'cart-abandoners', T0)).toBe(0);
});

it('cart abandoners after an alias merge: the survivor keeps its email, and takes the other’s only when it had none', async () => {
  const db = await freshDb();
  const cart = (userId: string) => ({ ...track('Added to Cart', { userId }), anonymousId: `${userId}-phone` });
  // Pat has an email; Sam's was cleared. Lee has none; Kim has one. Customer.io's merge keeps what the survivor has
  // and fills only what it lacks (docs.customer.io/journeys/merge-people).
  await ingest(db, [identify('cus_pat', 'pat-phone', { email: 'pat@example.com' }), cart('cus_pat')], at(-HOUR));
  await ingest(db, [identify('cus_lee', 'lee-phone', { first_name: 'Lee' }), cart('cus_lee')], at(-HOUR));
  await ingest(db, [identify('cus_sam', 'sam-phone', { email: 'sam@example.com' })], at(-HOUR));
  await ingest(db, [identify('cus_sam', 'sam-phone', { email: null })], at(-HOUR + MINUTE));
  await ingest(db, [identify('cus_kim', 'kim-phone', { email: 'kim@example.com' })], at(-HOUR));
  const alias = (userId: string, previousId: string) => ({ ...identify(userId, undefined), type: 'alias', previousId });
  await ingest(db, [alias('cus_pat', 'cus_sam'), alias('cus_lee', 'cus_kim')], at(-MINUTE));

  const profiles = await loadPersonProfiles(db, ['cus_pat', 'cus_lee']);
  const segment = findSegment('cart-abandoners')!;
  const rows = profiles.map((p) => [p.profileId, p.email, evaluateSegment(segment, p, T0)]);
  expect(rows.sort()).toEqual([
    ['cus_lee', 'kim@example.com', true],
    ['cus_pat', 'pat@example.com', true],
  ]);
  expect(await segmentMemberCount(db, 'cart-abandoners', T0)).toBe(2);
});
