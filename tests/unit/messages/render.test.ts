import { describe, expect, it } from 'vitest';
import { currency, customerIoLiquid, UNSUBSCRIBE_URL } from '@/lib/cdp/engine/messages/liquid';
import { renderMessage, type MessageContext } from '@/lib/cdp/engine/messages/render';
import { cartAttribute, productViewed, SHOP, T0 } from '../support/engine-fixtures';

const customer = { id: 'cus_ada', email: 'ada@example.com', first_name: 'Ada' };
const snippets = { shop_url: SHOP };
const unsubscribeUrl = `${SHOP}/unsubscribe/tok.sig`;
const render = (id: Parameters<typeof renderMessage>[0], context: MessageContext) =>
  renderMessage(id, context, { unsubscribeUrl });

// 2 × 34 + 28.50 = 96.50
const cart = cartAttribute([
  ['GL-SERUM-30', 2],
  ['GL-CREAM-50', 1],
]);
const cartContext: MessageContext = { customer: { ...customer, cart }, snippets };

describe("Customer.io's currency filter", () => {
  it('formats a number as money for a locale, en-us by default', () => {
    expect(currency(34, 'en-us')).toBe('$34.00');
    expect(currency(1234.5)).toBe('$1,234.50');
    expect(currency('19', 'en-US')).toBe('$19.00');
    expect(currency(1234.5, 'de-de')).toBe('1.234,50\u00a0€');
    expect(currency(10, 'en-gb')).toBe('£10.00');
  });

  it('fails the render for what is not a number or a locale it cannot name a currency for', () => {
    expect(() => currency(undefined)).toThrow(/not a number/);
    expect(() => currency('n/a')).toThrow(/not a number/);
    expect(() => currency(10, 'USD')).toThrow(/locale/);
    expect(() => currency(10, 'xx-zz')).toThrow(/locale/);
  });
});

describe('the Customer.io Liquid engine', () => {
  const engine = customerIoLiquid();
  const run = (source: string, scope: object = {}) =>
    engine.parseAndRenderSync(source, scope, { globals: { [UNSUBSCRIBE_URL]: 'https://shop.test/u/1' } });

  it('knows {% unsubscribe_url %}, and nobody can print the global behind it', () => {
    expect(run('<a href="{% unsubscribe_url %}">')).toBe('<a href="https://shop.test/u/1">');
    expect(() => run('{% unsubscribe_url x %}')).toThrow();
    expect(() => run('{{ unsubscribe_url }}')).toThrow(/undefined variable/);
  });

  it('fails on an output nobody set and on filters Customer.io does not document; default and if tolerate one', () => {
    expect(() => run('{{ customer.first_name }}', { customer: {} })).toThrow(/undefined variable/);
    expect(() => run('{{ 10 | money: "USD" }}')).toThrow(/money/);
    expect(run('{{ customer.first_name | default: "there" }}', { customer: {} })).toBe('there');
    expect(run('{% if customer.first_name %}x{% else %}y{% endif %}', { customer: {} })).toBe('y');
  });

  it('escapes only where the template says so, as Customer.io does', () => {
    expect(run('{{ x }} {{ x | escape }}', { x: '<b>' })).toBe('<b> &lt;b&gt;');
  });
});

describe('renderMessage: cart recovery (reads customer.cart)', () => {
  const { subject, html, text } = render('cart-recovery', cartContext);

  it('lists every item with name, variant, quantity and price, the total and the restore link', () => {
    expect(subject).toBe('Ada, your Glowlab cart is waiting');
    for (const body of [html, text]) {
      for (const part of ['Glow Serum', '30 ml', '$34.00', 'Barrier Cream', '$28.50', '$96.50', cart.restore_url])
        expect(body).toContain(part);
    }
    expect(html).toMatch(/Glow Serum<\/strong><\/a>[\s\S]*Qty 2[\s\S]*\$34\.00 each/);
    expect(html).toContain(`src="${SHOP}/images/products/glow-serum.svg"`);
    expect(html).toContain(`href="${cart.restore_url}"`);
    expect(text).toContain('- Glow Serum (30 ml) x 2: $34.00 each');
    expect(text).toContain('- Barrier Cream (50 ml) x 1: $28.50\n');
    expect(text).toContain('Cart total: $96.50');
  });

  it('carries the unsubscribe link in HTML and text', () => {
    expect(html).toContain(`<a href="${unsubscribeUrl}"`);
    expect(text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
  });

  it('escapes data in HTML but not in text, and greets "there" without a first name', () => {
    const hostile = { ...cartContext, customer: { ...cartContext.customer, first_name: '<b>Eve</b>' } };
    expect(render('cart-recovery', hostile).html).toContain('Hi &lt;b&gt;Eve&lt;/b&gt;');
    expect(render('cart-recovery', hostile).text).toContain('Hi <b>Eve</b>');
    const nameless: MessageContext['customer'] = { ...cartContext.customer };
    delete nameless.first_name;
    const anonymous = render('cart-recovery', { ...cartContext, customer: nameless });
    expect(anonymous.subject).toBe('Hi, your Glowlab cart is waiting');
    expect(anonymous.text.startsWith('Hi there,')).toBe(true);
  });

  it('fails, rather than sending an email without items, when there is no cart', () => {
    expect(() => render('cart-recovery', { customer, snippets })).toThrow(/customer\.cart/);
  });

  it('leaves error stack traces as they were, after a render that succeeded or failed', () => {
    const limit = Error.stackTraceLimit;
    render('cart-recovery', cartContext);
    expect(() => render('cart-recovery', { customer, snippets })).toThrow();
    expect(Error.stackTraceLimit).toBe(limit);
  });
});

describe('renderMessage: browse recovery and quiz follow-up (read the trigger event)', () => {
  it('shows the viewed product', () => {
    const event = productViewed(T0, 'GL-CREAM-50').properties;
    const { subject, html, text } = render('browse-recovery', { customer, event, snippets });
    expect(subject).toBe('Still thinking about Barrier Cream?');
    for (const body of [html, text])
      for (const part of ['Barrier Cream', '50 ml', '$28.50']) expect(body).toContain(part);
    expect(html).toContain(`href="${SHOP}/products/barrier-cream"`);
  });

  it('uses the quiz result and links to its results page on the shop (the routine it recommended)', () => {
    const event = { quiz_id: 'skin', result: 'dry', recommended_skus: ['GL-SERUM-30', 'GL-CREAM-50'] };
    const { subject, html, text } = render('quiz-follow-up', { customer, event, snippets });
    expect(subject).toBe('Your Glowlab routine for dry skin');
    expect(html).toContain('Your result: <strong>dry</strong>');
    expect(text).toContain('We picked 2 products');
    // "/quiz" alone starts the quiz over: the routine "waiting on your results page" is at ?result=.
    expect(html).toContain(`href="${SHOP}/quiz?result=dry"`);
    expect(text).toContain(`${SHOP}/quiz?result=dry`);
  });
});
