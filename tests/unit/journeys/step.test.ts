import { describe, expect, it } from 'vitest';
import { EVENT } from '@/lib/cdp/model/event';
import { builtInJourneys, stepJourneys, type JourneyRun } from '@/lib/cdp/engine/journeys';
import {
  addToCart,
  at,
  cartAttribute,
  identify,
  order,
  productViewed,
  simulate,
  profile,
  T0,
  track,
} from '../support/engine-fixtures';

const email = { email: 'ada@example.com', first_name: 'Ada' };
const cartJourneys = builtInJourneys.filter((j) => j.group === 'cart-recovery');
const hourly = Array.from({ length: 8 }, (_, h) => at(`${h}h`));

describe('live and shadow strategies on the same traffic', () => {
  // Anonymous cart at T0−2h, identified at T0 with an email (and the cart the browser held, as the shop sends it).
  const known = { ...email, cart: cartAttribute([['GL-SERUM-30', 1]]) };
  const traffic = [addToCart(at('-2h'), [['GL-SERUM-30', 1]], { stitchedAt: T0 }), identify(T0, known)];

  it('every strategy runs; only the live one produces a message; shadow runs end as "would have sent"', () => {
    for (const live of ['event', 'lookback', 'hold'] as const) {
      const { byJourney, messages } = simulate(cartJourneys, () => profile(traffic), hourly, live);
      expect(byJourney('cart-recovery-event'), live).toMatchObject([
        { status: 'failed', reason: 'no_email', shadow: live !== 'event' },
      ]);
      expect(byJourney('cart-recovery-lookback'), live).toMatchObject([
        { status: 'sent', shadow: live !== 'lookback' },
      ]);
      expect(byJourney('cart-recovery-hold'), live).toMatchObject([{ status: 'sent', shadow: live !== 'hold' }]);
      // The event strategy is live but fails: nobody is messaged. Otherwise exactly the live journey sends.
      expect(
        messages.map((m) => m.journeyId),
        live,
      ).toEqual(live === 'event' ? [] : [`cart-recovery-${live}`]);
    }
  });

  it('the difference between lookback and hold: a cart older than 4 h at identify', () => {
    const oldCart = [addToCart(at('-10h'), [['GL-SERUM-30', 1]], { stitchedAt: T0 }), identify(T0, known)];
    const { byJourney, messages } = simulate(cartJourneys, () => profile(oldCart), hourly, 'hold');
    expect(byJourney('cart-recovery-lookback')).toHaveLength(0);
    expect(byJourney('cart-recovery-hold')).toMatchObject([{ status: 'sent' }]);
    expect(messages).toHaveLength(1);
  });
});

describe('stepJourneys is idempotent', () => {
  it('a second pass at the same now changes nothing and sends nothing, at every step of a journey', () => {
    const ada = profile([
      addToCart(at('-2h'), [['GL-SERUM-30', 1]], { stitchedAt: T0 }),
      identify(T0, { ...email, cart: cartAttribute([['GL-SERUM-30', 1]]) }),
      productViewed(at('2h'), 'GL-CREAM-50'),
      productViewed(at('3h'), 'GL-CLEANSE'),
      track(EVENT.quizCompleted, at('3h'), { quiz_id: 'skin', result: 'dry', recommended_skus: [] }),
    ]);
    let runs: JourneyRun[] = [];
    let sent = 0;
    for (const now of [...hourly, at('28h')]) {
      const input = { journeys: builtInJourneys, liveCartStrategy: 'lookback' as const, profiles: [ada], now };
      const first = stepJourneys({ ...input, runs });
      const byId = new Map(runs.map((r) => [r.id, r]));
      first.runsToUpsert.forEach((r) => byId.set(r.id, r));
      runs = [...byId.values()];
      sent += first.messages.length;
      const second = stepJourneys({ ...input, runs });
      expect(second, now.toISOString()).toEqual({ runsToUpsert: [], messages: [] });
    }
    // Lookback cart, browse and quiz follow-up: three live messages, each once.
    expect(sent).toBe(3);
    expect(
      runs
        .filter((r) => r.status === 'sent' && !r.shadow)
        .map((r) => r.journeyId)
        .sort(),
    ).toEqual(['browse-recovery', 'cart-recovery-lookback', 'quiz-follow-up']);
  });

  it('leaves runs of people it was not given untouched', () => {
    const ada = profile([identify(at('-1d'), email), addToCart(T0, [['GL-SERUM-30', 1]])]);
    const first = stepJourneys({
      journeys: cartJourneys,
      liveCartStrategy: 'event',
      profiles: [ada],
      runs: [],
      now: T0,
    });
    const later = stepJourneys({
      journeys: cartJourneys,
      liveCartStrategy: 'event',
      profiles: [],
      runs: first.runsToUpsert,
      now: at('2h'),
    });
    expect(later).toEqual({ runsToUpsert: [], messages: [] });
  });
});

describe('browse recovery', () => {
  const browse = builtInJourneys.filter((j) => j.id === 'browse-recovery');

  it('starts on the 2nd view within 24 h, once, and shows the product of that view (its event)', () => {
    const events = [
      identify(at('-1d'), email),
      productViewed(T0, 'GL-SERUM-30'),
      productViewed(at('1h'), 'GL-CREAM-50'),
      productViewed(at('90m'), 'GL-SERUM-30'),
    ];
    const { runs, messages } = simulate(browse, () => profile(events), hourly);
    expect(runs).toMatchObject([{ status: 'sent', enteredAt: at('1h'), endedAt: at('2h') }]);
    expect(runs[0]?.triggerSeq).toBe(events[2]?.seq);
    expect(messages[0]?.data.event).toMatchObject({ name: 'Barrier Cream', variant_name: '50 ml', price: 28.5 });
  });

  it('fails not_server_confirmed when the view came from a browser only: its name and links stay out', () => {
    const events = [
      identify(at('-1d'), email),
      productViewed(T0, 'GL-SERUM-30'),
      productViewed(at('1h'), 'GL-CREAM-50', { browserOnly: true }),
    ];
    const { runs, messages } = simulate(browse, () => profile(events), hourly);
    expect(runs).toMatchObject([{ status: 'failed', reason: 'not_server_confirmed' }]);
    expect(messages).toHaveLength(0);
  });

  it('exits when the shopper adds to cart, and fails no_email for an anonymous browser', () => {
    const views = [productViewed(T0, 'GL-SERUM-30'), productViewed(at('10m'), 'GL-CREAM-50')];
    const added = simulate(
      browse,
      () => profile([identify(at('-1d'), email), ...views, addToCart(at('30m'), [['GL-CREAM-50', 1]])]),
      hourly,
    );
    expect(added.runs).toMatchObject([{ status: 'exited', reason: 'converted' }]);
    const anonymous = simulate(browse, () => profile(views, 'anon_2'), hourly);
    expect(anonymous.runs).toMatchObject([{ status: 'failed', reason: 'no_email' }]);
    expect([...added.messages, ...anonymous.messages]).toHaveLength(0);
  });
});

describe('quiz follow-up', () => {
  const quiz = builtInJourneys.filter((j) => j.id === 'quiz-follow-up');
  const taken = () =>
    track(EVENT.quizCompleted, T0, { quiz_id: 'skin', result: 'dry', recommended_skus: ['GL-SERUM-30'] });

  it('waits 24 h, then sends with the quiz result', () => {
    const events = [identify(at('-1h'), email), taken()];
    const { runs, messages } = simulate(quiz, () => profile(events), [T0, at('24h', -1), at('24h')]);
    expect(runs).toMatchObject([{ status: 'sent', endedAt: at('24h') }]);
    expect(messages[0]?.data.event?.result).toBe('dry');
  });

  it('exits on an order within the 24 h', () => {
    const events = [identify(at('-1h'), email), taken(), order(at('5h'))];
    expect(simulate(quiz, () => profile(events), [T0, at('24h')]).runs).toMatchObject([
      { status: 'exited', reason: 'converted' },
    ]);
  });
});

describe('a run that cannot be advanced', () => {
  it('fails alone with invalid_event and the problem; the other runs of the pass still move', () => {
    const hold = cartJourneys.find((j) => j.id === 'cart-recovery-hold')!;
    const cart = cartAttribute([['GL-SERUM-30', 1]]);
    // Bob's stored traits are damaged: reading his cart throws, so building his message does too.
    const damaged = { email: 'bob@example.com' };
    Object.defineProperty(damaged, 'cart', {
      enumerable: true,
      get() {
        throw new Error('damaged traits');
      },
    });
    const bob = profile([identify(at('-4h'), damaged), addToCart(at('-3h'), [['GL-SERUM-30', 1]])], 'cus_bob');
    const ada = profile([identify(at('-4h'), { ...email, cart }), addToCart(at('-2h'), [['GL-SERUM-30', 1]])]);
    const { runsToUpsert, messages } = stepJourneys({
      journeys: [hold],
      liveCartStrategy: 'hold',
      profiles: [bob, ada],
      runs: [],
      now: T0,
    });
    expect(runsToUpsert.filter((r) => r.profileId === 'cus_bob')).toMatchObject([
      { status: 'failed', reason: 'invalid_event', detail: 'damaged traits' },
    ]);
    expect(runsToUpsert.filter((r) => r.profileId === 'cus_ada')).toMatchObject([{ status: 'sent' }]);
    expect(messages.map((m) => m.personId)).toEqual(['cus_ada']);
  });
});
