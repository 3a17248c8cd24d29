import { describe, expect, it } from 'vitest';
import { EVENT, type EngineEvent } from '@/lib/cdp/model/event';
import { builtInJourneys, stepJourneys, type JourneyRun } from '@/lib/cdp/engine/journeys';
import { at, identify, order, profile, simulate, SHOP, T0, track } from '../support/engine-fixtures';

// "Send me my routine" (Quiz Routine Requested, sent by the shop's server): the routine email goes on the next
// pass, once per result a day; the 24 h quiz follow-up ends when the routine was asked for after the quiz.
const routine = builtInJourneys.filter((j) => j.id === 'quiz-routine');
const followUp = builtInJourneys.filter((j) => j.id === 'quiz-follow-up');
const email = { email: 'ada@example.com', first_name: 'Ada' };

const item = (name: string, price: number) => ({
  sku: name,
  variant_id: name,
  product_id: name,
  name,
  variant_name: '30 ml',
  quantity: 1,
  price,
  image_url: `${SHOP}/images/products/${name}.svg`,
  product_url: `${SHOP}/products/${name}`,
});
const requested = (when: Date, result = 'oily', o: { browserOnly?: boolean } = {}) =>
  track(
    EVENT.quizRoutineRequested,
    when,
    {
      quiz_id: 'skin',
      result,
      result_name: `${result[0]!.toUpperCase()}${result.slice(1)} skin`,
      result_url: `${SHOP}/quiz?result=${result}`,
      items: [item('cleanser', 18), item('serum', 32)],
      currency: 'USD',
    },
    o,
  );
const quizTaken = (when: Date) =>
  track(EVENT.quizCompleted, when, { quiz_id: 'skin', result: 'oily', recommended_skus: ['serum'] });

describe('the routine email (quiz-routine)', () => {
  it('is sent on the first pass after the request, with the result and its products', () => {
    const events = [identify(at('-1m'), email), requested(T0)];
    const { runs, messages } = simulate(routine, () => profile(events), [T0]);
    expect(runs).toMatchObject([{ status: 'sent', endedAt: T0 }]);
    expect(messages).toMatchObject([{ to: 'ada@example.com', templateId: 'quiz-routine', scheduledAt: T0 }]);
    expect(messages[0]!.data.event).toMatchObject({ result_name: 'Oily skin', items: [{ name: 'cleanser' }, {}] });
  });

  it('is sent once per result a day: a second request for the same result within 24 h sends nothing', () => {
    const events = [
      identify(at('-1m'), email),
      requested(T0),
      requested(at('1m')),
      requested(at('23h')),
      requested(at('2m'), 'dry'),
      requested(at('24h', 1)),
    ];
    const { runs, messages } = simulate(routine, () => profile(events), [T0, at('1m'), at('2m'), at('23h'), at('25h')]);
    expect(runs.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    // The first oily request, the dry one, and oily again a day (and a millisecond) after the first.
    expect(messages.map((m) => [m.data.event?.result, m.scheduledAt])).toEqual([
      ['oily', T0],
      ['dry', at('2m')],
      ['oily', at('24h', 1)],
    ]);
  });

  it('does not count a request twice when a later pass sees it without the one before it (a window)', () => {
    const first = requested(T0);
    const second = requested(at('10m'));
    const everyone = [identify(at('-1m'), email), first, second];
    const runs: JourneyRun[] = [];
    const pass = (now: Date, events: EngineEvent[], tracksFrom?: Date) => {
      const out = stepJourneys({
        journeys: routine,
        liveCartStrategy: 'lookback',
        profiles: [{ ...profile(events), ...(tracksFrom && { tracksFrom }) }],
        runs,
        now,
      });
      runs.push(...out.runsToUpsert.filter((r) => !runs.some((known) => known.id === r.id)));
      return out.messages;
    };
    expect(pass(at('10m'), everyone)).toHaveLength(1);
    // A later pass that loaded the tracks from 5 minutes on (a run's anchor) holds the second request alone.
    expect(pass(at('1h'), [everyone[0]!, second], at('5m'))).toEqual([]);
  });

  it('honours unsubscribes and takes its data from the shop server only', () => {
    const unsubscribed = [identify(at('-1m'), email), identify(at('-30s'), { unsubscribed: true }), requested(T0)];
    expect(simulate(routine, () => profile(unsubscribed), [T0]).runs).toMatchObject([
      { status: 'exited', reason: 'unsubscribed' },
    ]);
    // The public write key could forge a request with any products and links: a browser-only one sends nothing.
    const forged = [identify(at('-1m'), email), requested(T0, 'oily', { browserOnly: true })];
    expect(simulate(routine, () => profile(forged), [T0]).runs).toMatchObject([
      { status: 'failed', reason: 'not_server_confirmed' },
    ]);
  });
});

describe('the quiz follow-up beside the routine email', () => {
  it('ends when the routine was asked for after the quiz; the routine email alone goes', () => {
    const events = [identify(at('-1h'), email), quizTaken(T0), requested(at('1m'))];
    const both = [...routine, ...followUp];
    const { byJourney, messages } = simulate(both, () => profile(events), [at('1m'), at('24h')]);
    expect(byJourney('quiz-follow-up')).toMatchObject([{ status: 'exited', reason: 'converted' }]);
    expect(messages.map((m) => m.journeyId)).toEqual(['quiz-routine']);
  });

  it('still comes 24 h after a quiz whose routine was not asked for, and not for a request before the quiz', () => {
    const events = [identify(at('-1h'), email), requested(at('-10m')), quizTaken(T0), order(at('30h'))];
    const { byJourney } = simulate(followUp, () => profile(events), [T0, at('24h')]);
    expect(byJourney('quiz-follow-up')).toMatchObject([{ status: 'sent' }]);
  });
});
