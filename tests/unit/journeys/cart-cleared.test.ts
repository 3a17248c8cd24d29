import { describe, expect, it } from 'vitest';
import { builtInJourneys, type CartStrategy } from '@/lib/cdp/engine/journeys';
import {
  addToCart,
  addToKnownCart,
  at,
  cartAttribute,
  identify,
  order,
  profile,
  setCart,
  simulate,
  T0,
  type Sku,
} from '../support/engine-fixtures';

// The `cart` person attribute set to null (or to an empty cart) by the shop's server means the person has no cart
// left: a login from a browser whose cart is empty (logout empties it), the mistyped customer of an email
// correction. A cart recovery run exits `cart_emptied` then, as after a cart event with no items; `missing_data`
// stays for a cart the shop's server never sent.

const cartJourneys = builtInJourneys.filter((j) => j.group === 'cart-recovery');
const strategies: CartStrategy[] = ['event', 'lookback', 'hold'];
const lines: [Sku, number][] = [['GL-CREAM-50', 1]];
const ada = { email: 'ada@example.com', first_name: 'Ada' };

/** The three cart journeys with `live` live, one pass at each time. */
const run = (events: Parameters<typeof profile>[0], times: Date[], live: CartStrategy) =>
  simulate(cartJourneys, () => profile(events), times, live);
const outcome = (r: { status: string; reason: string | null }) => `${r.status} ${r.reason}`;

describe('anonymous add, sign up, log out, log in again (the browser cart emptied by the logout)', () => {
  // Added anonymously at T0, stitched by the signup a minute later, which sets the cart; the login from the emptied
  // browser cart sets it to null.
  const events = [
    addToCart(T0, lines, { stitchedAt: at('1m') }),
    identify(at('1m'), { ...ada, cart: cartAttribute(lines) }),
    identify(at('3m'), { ...ada, cart: null }),
  ];

  it.each(strategies)('%s live: lookback and hold exit cart_emptied at the login, no message', (live) => {
    const { byJourney, messages } = run(events, [T0, at('1m'), at('3m'), at('5h')], live);
    for (const id of ['cart-recovery-lookback', 'cart-recovery-hold'])
      expect(byJourney(id), id).toMatchObject([
        { status: 'exited', reason: 'cart_emptied', endedAt: at('3m'), detail: expect.stringMatching(/^identify #/) },
      ]);
    // The event strategy never had an email at the (anonymous) add.
    expect(byJourney('cart-recovery-event').map(outcome)).toEqual(['failed no_email']);
    expect(messages).toEqual([]);
  });

  it('a pass long after the login, and the first one at the send time, end them the same way', () => {
    const { runs } = run(events, [at('5h')], 'lookback');
    expect(runs.filter((r) => r.journeyId !== 'cart-recovery-event').map(outcome)).toEqual([
      'exited cart_emptied',
      'exited cart_emptied',
    ]);
  });

  it('the next add is a new cart: its run sends, listing only it', () => {
    const next: [Sku, number][] = [['GL-SERUM-30', 2]];
    const later = [...events, ...addToKnownCart(at('2h'), next)];
    const { byJourney, messages } = run(later, [T0, at('1m'), at('3m'), at('2h'), at('3h')], 'event');
    expect(byJourney('cart-recovery-event').map(outcome)).toEqual(['failed no_email', 'sent null']);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.data.customer.cart).toMatchObject({ items: [{ sku: 'GL-SERUM-30', quantity: 2 }] });
  });
});

describe('the mistyped customer of an email correction ({cart: null} from the shop server)', () => {
  // ada@gmial.com was left, then the cart filled as that customer; the checkout's corrected address moves on and
  // the shop's server clears the mistyped customer's cart.
  const events = [
    identify(T0, { email: 'ada@gmial.com', cart: null }),
    ...addToKnownCart(at('1m'), lines),
    identify(at('10m'), { cart: null }),
  ];

  it.each(strategies)('%s live: every cart run exits cart_emptied; nothing goes to the mistyped address', (live) => {
    const { runs, messages } = run(events, [at('1m'), at('10m'), at('2h')], live);
    expect(runs.map((r) => [r.journeyId, outcome(r)]).sort()).toEqual([
      ['cart-recovery-event', 'exited cart_emptied'],
      ['cart-recovery-hold', 'exited cart_emptied'],
      ['cart-recovery-lookback', 'exited cart_emptied'],
    ]);
    expect(messages).toEqual([]);
  });
});

describe('what counts as no cart', () => {
  const known = identify(at('-1d'), ada);
  const clearedBy = (cart: unknown, o: { browserOnly?: boolean } = {}) => [
    known,
    ...addToKnownCart(T0, lines),
    identify(at('10m'), { cart }, o),
  ];

  it.each([
    ['null', null],
    ['""', ''],
    ['a cart with no items', { ...cartAttribute(lines), items: [], cart_value: 0, item_count: 0 }],
  ])('%s set by the shop server ends the run', (_, cart) => {
    const { runs, messages } = run(clearedBy(cart), [T0, at('1h')], 'event');
    expect(runs.map(outcome)).toEqual(['exited cart_emptied', 'exited cart_emptied', 'exited cart_emptied']);
    expect(messages).toEqual([]);
  });

  it('a browser identify saying null does not: the public write key cannot end a recovery', () => {
    const { byJourney, messages } = run(clearedBy(null, { browserOnly: true }), [T0, at('1h')], 'event');
    expect(byJourney('cart-recovery-event').map(outcome)).toEqual(['sent null']);
    expect(messages).toHaveLength(1);
  });

  it('a cart the shop server never sent still fails missing_data', () => {
    const { byJourney } = run([known, addToCart(T0, lines)], [T0, at('1h')], 'event');
    expect(byJourney('cart-recovery-event')).toMatchObject([
      { status: 'failed', reason: 'missing_data', detail: expect.stringMatching(/^customer\.cart: /) },
    ]);
  });

  it('a null from before the cart began is no news about it: missing_data, not cart_emptied', () => {
    // An order's identify cleared the last cart; this add's cart never reached the attribute.
    const events = [known, order(at('-2h')), identify(at('-2h'), { cart: null }), addToCart(T0, lines)];
    const { byJourney } = run(events, [T0, at('1h')], 'event');
    expect(byJourney('cart-recovery-event').map(outcome)).toEqual(['failed missing_data']);
  });
});

it("an order's identify, which clears the cart just ahead of Order Completed, still ends the run converted", () => {
  // The shop sends the order's identify (cart: null) first and Order Completed right after; a pass may run between.
  const placed = at('30m');
  const before = [identify(at('-1d'), ada), ...addToKnownCart(T0, lines), identify(placed, { cart: null })];
  const all = [...before, order(placed)];
  const { runs } = simulate(
    cartJourneys,
    (now) => profile(now < at('31m') ? before : all),
    [T0, placed, at('31m'), at('2h')],
    'event',
  );
  expect(runs.map(outcome)).toEqual(['exited converted', 'exited converted', 'exited converted']);
});

it('the cart set again before the send (the cart an order left) keeps the run going, with the new contents', () => {
  // recordCartAfterOrder: another tab added while the order was placed; the order's identify cleared the attribute,
  // the shop's server sets it again to what the order left.
  const events = [
    identify(at('-1d'), ada),
    ...addToKnownCart(T0, lines),
    identify(at('10m'), { cart: null }),
    setCart(at('11m'), [['GL-CLEANSE', 1]]),
  ];
  const { byJourney, messages } = run(events, [T0, at('10m'), at('11m'), at('1h')], 'event');
  expect(byJourney('cart-recovery-event').map(outcome)).toEqual(['sent null']);
  expect(messages[0]!.data.customer.cart).toMatchObject({ items: [{ sku: 'GL-CLEANSE' }] });
});
