import { Liquid } from 'liquidjs';
import { EVENT } from '@/lib/cdp/model/event';
import { describe, expect, it } from 'vitest';
import { builtInJourneys } from '@/lib/cdp/engine/journeys';
import type { MessageData } from '@/lib/cdp/engine/journeys/types';
import { messageTemplates } from '@/lib/cdp/engine/messages/catalog';
import { renderMessage } from '@/lib/cdp/engine/messages/render';
import {
  addToCart,
  at,
  cartAttribute,
  identify,
  productViewed,
  profile,
  SHOP,
  simulate,
  T0,
  track,
} from '../support/engine-fixtures';

/**
 * A `first_name` that is not text (an import, another sender): Customer.io's Liquid prints any scalar, and its
 * documented greeting `{{ customer.first_name | default: "there" }}` (docs.customer.io/journeys/liquid-tag-list)
 * falls back only for nil, false and empty. The run must send what that prints, not fail `missing_data`.
 */
const lookback = builtInJourneys.filter((j) => j.id === 'cart-recovery-lookback');
const cart = cartAttribute([['GL-SERUM-30', 1]]);
const stock = new Liquid({ strictVariables: true, lenientIf: true });

function cartRun(first_name: unknown) {
  const traffic = [
    addToCart(at('-1h'), [['GL-SERUM-30', 1]], { stitchedAt: T0 }),
    identify(T0, { email: 'ada@example.com', first_name, cart }),
  ];
  return simulate(lookback, () => profile(traffic), [T0, at('2h')], 'lookback');
}

describe('a first_name Liquid prints but is not text', () => {
  it.each([
    [42, 'Hi 42,'],
    [0, 'Hi 0,'],
    [true, 'Hi true,'],
    [false, 'Hi there,'],
  ])('%j: the cart email goes out, greeting as Customer.io would', (firstName, greeting) => {
    const { runs, messages } = cartRun(firstName);
    expect(runs).toMatchObject([{ status: 'sent' }]);
    const rendered = renderMessage(
      'cart-recovery',
      { ...messages[0]!.data, snippets: { shop_url: SHOP } },
      { unsubscribeUrl: `${SHOP}/unsubscribe/t` },
    );
    const stockGreeting = stock.parseAndRenderSync('Hi {{ customer.first_name | default: "there" }},', {
      customer: { first_name: firstName },
    });
    expect(stockGreeting).toBe(greeting);
    expect(rendered.text.startsWith(greeting)).toBe(true);
    expect(rendered.html).toContain(greeting);
    const subject = stock.parseAndRenderSync(messageTemplates['cart-recovery'].subject, {
      customer: { first_name: firstName },
    });
    expect(rendered.subject).toBe(subject);
  });

  it.each([[['Ann', 'Bo']], [{ given: 'Ann' }]])('%j (no documented printed form) still fails missing_data', (v) => {
    const { runs, messages } = cartRun(v);
    expect(runs).toMatchObject([{ status: 'failed', reason: 'missing_data' }]);
    expect(messages).toEqual([]);
  });
});

describe('a required field Liquid prints but is not text (a product name, the quiz result)', () => {
  const sent = (id: string, traffic: ReturnType<typeof identify>[]) => {
    const journeys = builtInJourneys.filter((j) => j.id === id);
    const { runs, messages } = simulate(journeys, () => profile(traffic), [T0, at('5m'), at('2h'), at('30h')]);
    return { runs, message: messages[0] };
  };
  const render = (template: 'browse-recovery' | 'quiz-follow-up', data: MessageData) =>
    renderMessage(template, { ...data, snippets: { shop_url: SHOP } }, { unsubscribeUrl: `${SHOP}/unsubscribe/t` });
  const known = identify(at('-1d'), { email: 'ada@example.com', first_name: 'Ada' });

  it('a product named 42: the browse email goes out, subject and list as Customer.io prints them', () => {
    // The second view within 24 h starts the journey; the email shows that event's product.
    const viewed = productViewed(at('2m'), 'GL-CREAM-50');
    viewed.properties = { ...viewed.properties, name: 42 };
    const { runs, message } = sent('browse-recovery', [known, productViewed(at('1m'), 'GL-CLEANSE'), viewed]);
    expect(runs).toMatchObject([{ status: 'sent' }]);
    const rendered = render('browse-recovery', message!.data);
    expect(rendered.subject).toBe(stock.parseAndRenderSync(messageTemplates['browse-recovery'].subject, message!.data));
    expect(rendered.subject).toBe('Still thinking about 42?');
    expect(rendered.text).toContain('- 42');
  });

  it('a quiz result of 7: the follow-up goes out with it; an empty one still fails missing_data', () => {
    const quiz = (result: unknown) =>
      track(EVENT.quizCompleted, at('3m'), { quiz_id: 'skin', result, recommended_skus: ['GL-SERUM-30'] });
    const { runs, message } = sent('quiz-follow-up', [known, quiz(7)]);
    expect(runs).toMatchObject([{ status: 'sent' }]);
    expect(render('quiz-follow-up', message!.data).subject).toBe('Your Glowlab routine for 7 skin');
    expect(sent('quiz-follow-up', [known, quiz('')]).runs).toMatchObject([
      { status: 'failed', reason: 'missing_data' },
    ]);
  });
});
