import { describe, expect, it } from 'vitest';
import {
  advanceRun,
  builtInJourneys,
  planEntries,
  type JourneyDefinition,
  type JourneyRun,
} from '@/lib/cdp/engine/journeys';
import {
  addToCart,
  at,
  cartAttribute,
  identify,
  order,
  setCart,
  simulate,
  profile,
  T0,
} from '../support/engine-fixtures';

const journey = (id: string): JourneyDefinition => {
  const found = builtInJourneys.find((j) => j.id === id);
  if (!found) throw new Error(`missing built-in journey ${id}`);
  return found;
};
const eventJourney = journey('cart-recovery-event');
const lookbackJourney = journey('cart-recovery-lookback');
const holdJourney = journey('cart-recovery-hold');
const email = { email: 'ada@example.com', first_name: 'Ada' };

/** Runs one journey alone, live. */
const only = (j: JourneyDefinition, events: Parameters<typeof profile>[0], times: Date[]) =>
  simulate([j], () => profile(events), times, j.strategy ?? 'lookback');

describe('strategy 1: event-triggered on Added to Cart', () => {
  it('a known shopper enters, waits exactly 1 h, then is sent the cart', () => {
    // A signed-in add: the shop mirrors it and sets the `cart` attribute.
    const events = [identify(at('-1d'), email), addToCart(T0, [['GL-SERUM-30', 2]]), setCart(T0, [['GL-SERUM-30', 2]])];
    const early = only(eventJourney, events, [T0, at('1h', -1)]);
    expect(early.runs).toMatchObject([{ status: 'waiting', dueAt: at('1h'), enteredAt: T0 }]);
    expect(early.messages).toHaveLength(0);

    const { runs, messages } = only(eventJourney, events, [T0, at('1h')]);
    expect(runs).toMatchObject([{ status: 'sent', endedAt: at('1h'), shadow: false }]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: 'ada@example.com', templateId: 'cart-recovery', scheduledAt: at('1h') });
    expect(messages[0]?.data.customer.cart).toMatchObject({
      items: [{ sku: 'GL-SERUM-30', quantity: 2, name: 'Glow Serum', variant_name: '30 ml' }],
    });
  });

  it('the common mistake: an anonymous cart enters (the run is recorded) but fails no_email', () => {
    // Added anonymously at T0−1h; the identify at T0 stitches it and brings the email — too late for this strategy.
    const events = [addToCart(at('-1h'), [['GL-SERUM-30', 1]], { stitchedAt: T0 }), identify(T0, email)];
    const { runs, messages } = only(eventJourney, events, [T0, at('1h'), at('2h')]);
    expect(runs).toMatchObject([{ status: 'failed', reason: 'no_email', enteredAt: T0, emailAtTrigger: false }]);
    expect(messages).toHaveLength(0);
  });

  it('exits converted when an order arrives during the wait', () => {
    const paid = order(at('30m'));
    const events = [identify(at('-1d'), email), addToCart(T0, [['GL-SERUM-30', 1]]), paid];
    const { runs, messages } = only(eventJourney, events, [T0, at('30m'), at('1h')]);
    expect(runs).toMatchObject([{ status: 'exited', reason: 'converted', endedAt: at('30m') }]);
    expect(runs[0]?.detail).toContain(`#${paid.seq}`);
    expect(messages).toHaveLength(0);
  });
});

describe('strategy 2: identify + 4 h lookback', () => {
  // The signup's server identify carries the cart the browser held.
  const anonymousCart = (addedAgo: Date) => [
    addToCart(addedAgo, [['GL-CREAM-50', 1]], { stitchedAt: T0 }),
    identify(T0, { ...email, cart: cartAttribute([['GL-CREAM-50', 1]]) }),
  ];

  it('on identify, finds the stitched cart, waits 1 h and sends it', () => {
    const { runs, messages } = only(lookbackJourney, anonymousCart(at('-3h')), [T0, at('1h')]);
    const identifySeq = runs[0]?.triggerSeq;
    expect(runs).toMatchObject([{ status: 'sent', enteredAt: T0, dueAt: at('1h') }]);
    expect(runs[0]?.anchorSeq).not.toBe(identifySeq);
    // A segment-triggered campaign in Customer.io: no event scope, the cart is a person attribute.
    expect(messages[0]?.data.event).toBeUndefined();
    expect(messages[0]?.data.customer.cart).toMatchObject({ items: [{ sku: 'GL-CREAM-50', quantity: 1 }] });
  });

  it('looks back exactly 4 h: a cart 4 h old enters, 4 h + 1 ms does not', () => {
    expect(only(lookbackJourney, anonymousCart(at('-4h')), [T0]).runs).toHaveLength(1);
    expect(only(lookbackJourney, anonymousCart(at('-4h', -1)), [T0]).runs).toHaveLength(0);
  });

  it('does not enter when an order followed the add, and exits on an order after entry', () => {
    const orderedBefore = [addToCart(at('-2h'), [['GL-CREAM-50', 1]]), order(at('-1h')), identify(T0, email)];
    expect(only(lookbackJourney, orderedBefore, [T0, at('1h')]).runs).toHaveLength(0);

    const orderedAfter = [...anonymousCart(at('-2h')), order(at('20m'))];
    const { runs, messages } = only(lookbackJourney, orderedAfter, [T0, at('1h')]);
    expect(runs).toMatchObject([{ status: 'exited', reason: 'converted' }]);
    expect(messages).toHaveLength(0);
  });

  it('a second identify for the same cart does not start a second run', () => {
    const events = [...anonymousCart(at('-2h')), identify(at('10m'), email)];
    const { runs, messages } = only(lookbackJourney, events, [T0, at('10m'), at('2h')]);
    expect(runs).toHaveLength(1);
    expect(messages).toHaveLength(1);
  });

  it('finds an anonymous add stitched minutes after the identify on a later pass, timed from the identify', () => {
    const events = [identify(T0, email), addToCart(at('-1h'), [['GL-SERUM-30', 1]], { stitchedAt: at('3m') })];
    const firstPass = only(lookbackJourney, events, [T0]);
    expect(firstPass.runs).toHaveLength(0);
    const { runs } = only(lookbackJourney, events, [T0, at('5m')]);
    expect(runs).toMatchObject([{ status: 'waiting', enteredAt: T0, dueAt: at('1h') }]);
  });
});

describe('strategy 3: hold until email (72 h)', () => {
  const anonymousAdd = () => addToCart(T0, [['GL-SERUM-30', 1]]);

  /** The anonymous profile's run, as the runner records it before anyone knows who this is. */
  function heldRun(): { run: JourneyRun; add: ReturnType<typeof anonymousAdd> } {
    const add = anonymousAdd();
    const anon = profile([add], 'anon_1');
    const [entered] = planEntries(holdJourney, anon, T0, []);
    if (!entered) throw new Error('expected an entry');
    const { run } = advanceRun(holdJourney, entered, anon, T0);
    expect(run).toMatchObject({ status: 'held', dueAt: at('72h'), profileId: 'anon_1' });
    return { run, add };
  }

  /** After the merge the pipeline re-keys the run to the person, whose history now holds the stitched add. */
  const merged = (add: ReturnType<typeof anonymousAdd>, ...more: Parameters<typeof profile>[0]) =>
    profile([{ ...add, stitched: true, attachedAt: more[0]?.timestamp ?? null }, ...more]);

  it('holds, then waits 1 h from when the email arrived, then sends', () => {
    const { run, add } = heldRun();
    const ada = merged(add, identify(at('10h'), { ...email, cart: cartAttribute([['GL-SERUM-30', 1]]) }));
    const rekeyed = { ...run, profileId: ada.profileId };
    expect(advanceRun(holdJourney, rekeyed, ada, at('10h', -1)).run.status).toBe('held');
    const waiting = advanceRun(holdJourney, rekeyed, ada, at('10h')).run;
    expect(waiting).toMatchObject({ status: 'waiting', dueAt: at('11h') });
    const sent = advanceRun(holdJourney, waiting, ada, at('11h'));
    expect(sent.run.status).toBe('sent');
    expect(sent.message?.to).toBe('ada@example.com');
  });

  it('an email arriving exactly at 72 h still counts, even for a late runner', () => {
    const { run, add } = heldRun();
    const ada = merged(add, identify(at('72h'), { ...email, cart: cartAttribute([['GL-SERUM-30', 1]]) }));
    const result = advanceRun(holdJourney, { ...run, profileId: ada.profileId }, ada, at('73h'));
    expect(result.run.status).toBe('sent');
  });

  it('times out at 72 h + 1 ms as no_email_within_72h', () => {
    const { run, add } = heldRun();
    const anon = profile([add], 'anon_1');
    expect(advanceRun(holdJourney, run, anon, at('72h')).run.status).toBe('held');
    expect(advanceRun(holdJourney, run, anon, at('72h', 1)).run).toMatchObject({
      status: 'exited',
      reason: 'no_email_within_72h',
      endedAt: at('72h'),
      dueAt: null,
    });
  });

  it('exits converted when an order arrives while held', () => {
    const { run, add } = heldRun();
    const anon = profile([add, order(at('5h'))], 'anon_1');
    expect(advanceRun(holdJourney, run, anon, at('6h')).run).toMatchObject({ status: 'exited', reason: 'converted' });
  });
});
