import { describe, expect, it } from 'vitest';
import { EVENT } from '@/lib/cdp/model/event';
import { builtInJourneys, journeySchema, planEntries, tooOldToTrigger } from '@/lib/cdp/engine/journeys';
import {
  addToCart,
  addToKnownCart,
  at,
  cartAttribute,
  identify,
  order,
  productViewed,
  simulate,
  profile,
  T0,
  track,
  type Sku,
} from '../support/engine-fixtures';

const byId = (id: string) => builtInJourneys.find((j) => j.id === id)!;
const email = { email: 'ada@example.com' };
// The event-triggered journeys one stitched Added to Cart or Quiz Completed can start.
const eventTriggered = ['cart-recovery-event', 'cart-recovery-hold', 'quiz-follow-up'].map(byId);

// Customer.io: an event that reaches the person more than 72 h after its timestamp triggers no campaign, whether an
// identify stitched it that late or it was backfilled (sent with a userId and an old timestamp, attached on receipt).
const cartAndQuiz = (age: Date, o: { stitchedAt?: Date; attachedAt?: Date }) => [
  identify(o.stitchedAt ? T0 : at('-10d'), email),
  { ...addToCart(age, [['GL-SERUM-30', 1]], o), ...(o.attachedAt && { attachedAt: o.attachedAt }) },
  {
    ...track(EVENT.quizCompleted, age, { quiz_id: 'skin', result: 'dry' }, o),
    ...(o.attachedAt && { attachedAt: o.attachedAt }),
  },
];

describe.each([
  ['stitched by an identify', { stitchedAt: T0 }],
  ['backfilled with a userId', { attachedAt: T0 }],
])('the 72-hour rule: an event %s', (_, how) => {
  it('attached exactly 72 h after it happened still triggers event-triggered journeys', () => {
    const ada = profile(cartAndQuiz(at('-72h'), how));
    for (const j of eventTriggered) expect(planEntries(j, ada, T0, []), j.id).toHaveLength(1);
  });

  it('72 h + 1 ms: no event-triggered journey starts', () => {
    const ada = profile(cartAndQuiz(at('-72h', -1), how));
    for (const j of eventTriggered) expect(planEntries(j, ada, T0, []), j.id).toHaveLength(0);
    expect(tooOldToTrigger(ada.events[1]!)).toBe(true);
  });
});

it('an event that arrived when it happened triggers however late the pass runs', () => {
  const old = addToCart(at('-100h'), [['GL-SERUM-30', 1]]);
  expect(tooOldToTrigger(old)).toBe(false);
  expect(planEntries(byId('cart-recovery-hold'), profile([old]), T0, [])).toHaveLength(1);
});

describe('one recovery message per cart', () => {
  const known = identify(at('-1d'), email);

  it('several adds to one cart start one run, and the message lists the cart as it is at send time', () => {
    const events = [
      known,
      ...addToKnownCart(T0, [['GL-SERUM-30', 1]]),
      ...addToKnownCart(at('10m'), [
        ['GL-SERUM-30', 1],
        ['GL-CREAM-50', 2],
      ]),
      ...addToKnownCart(at('20m'), [
        ['GL-SERUM-30', 1],
        ['GL-CREAM-50', 2],
        ['GL-CLEANSE', 1],
      ]),
    ];
    const { byJourney, messages } = simulate(
      [byId('cart-recovery-event')],
      () => profile(events),
      [T0, at('10m'), at('20m'), at('1h'), at('2h')],
      'event',
    );
    expect(byJourney('cart-recovery-event')).toHaveLength(1);
    expect(messages).toHaveLength(1);
    const cart = messages[0]?.data.customer.cart as { items: { sku: string }[]; cart_value: number };
    expect(cart.items.map((i) => i.sku)).toEqual(['GL-SERUM-30', 'GL-CREAM-50', 'GL-CLEANSE']);
    expect(cart.cart_value).toBe(110);
  });

  it('a new cart after an order is a new cart', () => {
    const events = [
      known,
      ...addToKnownCart(at('-3h'), [['GL-SERUM-30', 1]]),
      order(at('-2h')),
      ...addToKnownCart(T0, [['GL-CREAM-50', 1]]),
    ];
    const { byJourney, messages } = simulate(
      [byId('cart-recovery-event')],
      () => profile(events),
      [at('-3h'), at('-2h'), T0, at('1h')],
      'event',
    );
    expect(byJourney('cart-recovery-event').map((r) => r.status)).toEqual(['exited', 'sent']);
    expect(messages).toHaveLength(1);
  });

  it('an emptied cart exits instead of sending an empty list', () => {
    const events = [
      known,
      addToCart(T0, [['GL-SERUM-30', 1]]),
      track(EVENT.removedFromCart, at('10m'), {
        removed: { sku: 'GL-SERUM-30', quantity: 1 },
        items: [],
        cart_value: 0,
        item_count: 0,
        currency: 'USD',
      }),
    ];
    const { runs, messages } = simulate([byId('cart-recovery-event')], () => profile(events), [T0, at('1h')], 'event');
    expect(runs).toMatchObject([{ status: 'exited', reason: 'cart_emptied' }]);
    expect(messages).toHaveLength(0);
  });

  it('when the live strategy changes mid-flight, the second live run for the same cart does not send', () => {
    // Hold is live when the cart is added; lookback is live when Ada logs in again 30 minutes later.
    // The login's identify carries the cart (and starts the lookback run while lookback is live).
    const lines: [Sku, number][] = [['GL-SERUM-30', 1]];
    const events = [known, addToCart(T0, lines), identify(at('30m'), { ...email, cart: cartAttribute(lines) })];
    const live = (now: Date) => (now < at('30m') ? 'hold' : 'lookback');
    const cart = builtInJourneys.filter((j) => j.group === 'cart-recovery');
    const { byJourney, messages } = simulate(cart, () => profile(events), [T0, at('30m'), at('1h'), at('90m')], live);
    expect(byJourney('cart-recovery-hold')).toMatchObject([{ status: 'sent', shadow: false }]);
    expect(byJourney('cart-recovery-lookback')).toMatchObject([
      { status: 'exited', reason: 'already_messaged', shadow: false },
    ]);
    expect(messages.map((m) => m.journeyId)).toEqual(['cart-recovery-hold']);
  });
});

describe('unsubscribed people get no message from any journey', () => {
  // Ada is due a cart email (every strategy), a browse recovery and a quiz follow-up.
  const lines: [Sku, number][] = [['GL-SERUM-30', 1]];
  const history = [
    identify(at('-1d'), { ...email, first_name: 'Ada' }),
    addToCart(T0, lines),
    identify(T0, { cart: cartAttribute(lines) }),
    productViewed(at('1m'), 'GL-CREAM-50'),
    productViewed(at('2m'), 'GL-CLEANSE'),
    track(EVENT.quizCompleted, at('3m'), { quiz_id: 'skin', result: 'dry', recommended_skus: [] }),
  ];
  const times = [T0, at('5m'), at('2h'), at('30h')];
  const sentBy = (events: typeof history) =>
    (['event', 'lookback', 'hold'] as const).flatMap((live) =>
      simulate(builtInJourneys, () => profile(events), times, live).messages.map((m) => m.journeyId),
    );

  it('while subscribed, every journey sends', () => {
    expect(new Set(sentBy(history))).toEqual(
      new Set([
        'cart-recovery-event',
        'cart-recovery-lookback',
        'cart-recovery-hold',
        'browse-recovery',
        'quiz-follow-up',
      ]),
    );
  });

  it('after the unsubscribe link (a server identify with unsubscribed: true), none does', () => {
    const unsubscribed = [...history, identify(at('4m'), { unsubscribed: true })];
    expect(sentBy(unsubscribed)).toEqual([]);
    const { runs } = simulate(builtInJourneys, () => profile(unsubscribed), times, 'lookback');
    expect(runs.filter((r) => r.status === 'exited' && r.reason === 'unsubscribed').length).toBeGreaterThan(0);
    expect(runs.filter((r) => r.status === 'sent')).toEqual([]);
  });

  it('takes the text "true" as unsubscribed (a form or an import), and "false" or "no" as not', () => {
    for (const value of ['true', ' TRUE ', 'True'])
      expect(sentBy([...history, identify(at('4m'), { unsubscribed: value })]), value).toEqual([]);
    const subscribed = sentBy(history);
    for (const value of ['false', 'no', ''])
      expect(sentBy([...history, identify(at('4m'), { unsubscribed: value })]), value).toEqual(subscribed);
  });

  it('honours an unsubscription whoever sent it: stopping mail never harms the recipient', () => {
    expect(sentBy([...history, identify(at('4m'), { unsubscribed: true }, { browserOnly: true })])).toEqual([]);
  });
});

describe('journey definitions', () => {
  it('reject a hold longer than 72 h and contradictory options', () => {
    const base = { ...byId('cart-recovery-hold') };
    expect(journeySchema.safeParse(base).success).toBe(true);
    expect(journeySchema.safeParse({ ...base, holdForEmail: '73h' }).success).toBe(false);
    expect(journeySchema.safeParse({ ...base, requiresEmailAtTrigger: true }).success).toBe(false);
    expect(journeySchema.safeParse({ ...base, strategy: undefined }).success).toBe(false);
    expect(journeySchema.safeParse({ ...base, trigger: { kind: 'identify' } }).success).toBe(false);
    expect(journeySchema.safeParse({ ...base, template: 'welcome' }).success).toBe(false);
  });

  it('reject an identify-triggered journey whose template reads event.* (a segment-triggered campaign has none)', () => {
    const lookback = byId('cart-recovery-lookback');
    expect(journeySchema.safeParse(lookback).success).toBe(true);
    expect(journeySchema.safeParse({ ...lookback, template: 'browse-recovery' }).success).toBe(false);
  });
});
