import { describe, expect, it } from 'vitest';
import { money } from '@/lib/cdp/engine/messages/filters';
import { renderMessage, type MessageContext } from '@/lib/cdp/engine/messages/render';
import { cartProperties } from '../support/engine-fixtures';

const customer = { id: 'cus_ada', email: 'ada@example.com', first_name: 'Ada' };
const cart: MessageContext = {
  customer,
  event_name: 'Added to Cart',
  event: cartProperties([
    ['GL-SERUM-30', 2],
    ['GL-CREAM-50', 1],
  ]), // 2 × 34 + 28.50 = 96.50
  restore_url: 'https://shop.test/cart/restore/abc.def',
};

describe('money filter', () => {
  it('formats decimal major units for the currency, and never throws', () => {
    expect(money(34, 'USD')).toBe('$34.00');
    expect(money(1234.5, 'EUR')).toBe('€1,234.50');
    expect(money('19', undefined)).toBe('$19.00');
    expect(money(19, 'XYZ1')).toBe('19.00 XYZ1');
    expect(money(undefined, 'USD')).toBe('');
    expect(money('n/a', 'USD')).toBe('');
  });
});

describe('renderMessage: cart recovery', () => {
  const { subject, html, text } = renderMessage('cart-recovery', cart);

  it('lists every item with name, variant, quantity and price, and the cart total, in HTML and text', () => {
    expect(subject).toBe('Ada, your Glowlab cart is waiting');
    for (const body of [html, text]) {
      expect(body).toContain('Glow Serum');
      expect(body).toContain('30 ml');
      expect(body).toContain('$34.00');
      expect(body).toContain('Barrier Cream');
      expect(body).toContain('$28.50');
      expect(body).toContain('$96.50');
      expect(body).toContain('https://shop.test/cart/restore/abc.def');
    }
    expect(html).toMatch(/Glow Serum<\/strong>[\s\S]*Qty 2[\s\S]*\$34\.00/);
    expect(html).toContain('src="/images/products/glow-serum.svg"');
    expect(html).toContain('href="https://shop.test/cart/restore/abc.def"');
    expect(text).toContain('- Glow Serum (30 ml) x 2: $34.00 each');
    expect(text).toContain('- Barrier Cream (50 ml) x 1: $28.50');
    expect(text).toContain('Cart total: $96.50');
  });

  it('escapes data in HTML but not in text, and falls back when the first name is unknown', () => {
    const hostile = { ...cart, customer: { ...customer, first_name: '<b>Eve</b>' } };
    expect(renderMessage('cart-recovery', hostile).html).toContain('Hi &lt;b&gt;Eve&lt;/b&gt;');
    expect(renderMessage('cart-recovery', hostile).text).toContain('Hi <b>Eve</b>');
    const anonymous = renderMessage('cart-recovery', { ...cart, customer: { ...customer, first_name: null } });
    expect(anonymous.subject).toBe('Hi, your Glowlab cart is waiting');
    expect(anonymous.text.startsWith('Hi there,')).toBe(true);
  });

  it('leaves the button out when there is no restore link', () => {
    const { html } = renderMessage('cart-recovery', { ...cart, restore_url: null });
    expect(html).not.toContain('Return to my cart');
  });
});

describe('renderMessage: browse recovery and quiz follow-up', () => {
  it('lists the viewed products', () => {
    const viewed = [
      {
        product_id: 'glow-serum',
        name: 'Glow Serum',
        price: 34,
        currency: 'USD',
        image_url: null,
        product_url: 'https://shop.test/products/glow-serum',
      },
      {
        product_id: 'milk-cleanser',
        name: 'Milk Cleanser',
        price: 19,
        currency: 'USD',
        image_url: null,
        product_url: 'https://shop.test/products/milk-cleanser',
      },
    ];
    const { subject, html, text } = renderMessage('browse-recovery', {
      customer,
      event_name: 'Product Viewed',
      event: { name: 'Glow Serum' },
      viewed_products: viewed,
    });
    expect(subject).toBe('Still thinking about Glow Serum?');
    for (const body of [html, text]) {
      expect(body).toContain('Milk Cleanser');
      expect(body).toContain('$19.00');
      expect(body).toContain('https://shop.test/products/milk-cleanser');
    }
  });

  it('uses the quiz result', () => {
    const event = { quiz_id: 'skin', result: 'dry', recommended_skus: ['GL-SERUM-30', 'GL-CREAM-50'] };
    const { subject, html, text } = renderMessage('quiz-follow-up', {
      customer,
      event_name: 'Quiz Completed',
      event,
      shop_url: 'https://shop.test',
    });
    expect(subject).toBe('Your Glowlab routine for dry skin');
    expect(html).toContain('Your result: <strong>dry</strong>');
    expect(text).toContain('We picked 2 products');
    expect(text).toContain('https://shop.test/quiz');
  });
});
