import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { builtInJourneys } from '@/lib/cdp/engine/journeys';
import { messageTemplates } from '@/lib/cdp/engine/messages/catalog';
import { renderMessage } from '@/lib/cdp/engine/messages/render';
import { addToCart, at, cartAttribute, identify, profile, SHOP, simulate, T0 } from '../support/engine-fixtures';

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
