import { describe, expect, it } from 'vitest';
import { messageTemplates } from '@/lib/cdp/engine/messages/catalog';
import { renderMessage } from '@/lib/cdp/engine/messages/render';
import { recommendationsFor, routineRequestedProps } from '@/lib/shop/domain/quiz';
import { formatMoney } from '@/lib/shop/domain/money';
import { checkAgainstPlan } from '@/lib/tracking/plan';
import { SCHEMA_VERSION } from '@/lib/tracking/plan-payload';
import { SHOP } from '../support/engine-fixtures';

// The routine email on the event exactly as the shop's server builds it from the catalogue (routineRequestedProps):
// the result's name, each product of the routine with its price and link, and the result page.
const event = routineRequestedProps('oily', SHOP);
const customer = { id: 'cus_ada', email: 'ada@example.com', first_name: 'Ada' };
const render = () =>
  renderMessage(
    'quiz-routine',
    { customer, event, snippets: { shop_url: SHOP } },
    { unsubscribeUrl: `${SHOP}/unsubscribe/tok.sig` },
  );

describe('Quiz Routine Requested, as the shop builds it', () => {
  it('passes the tracking plan and carries the routine the result page shows, priced by the catalogue', () => {
    const checked = checkAgainstPlan({
      type: 'track',
      event: 'Quiz Routine Requested',
      properties: { ...event, schema_version: SCHEMA_VERSION },
    });
    expect(checked.violations).toEqual([]);
    const shown = recommendationsFor('oily');
    expect(event.items.map((i) => [i.sku, i.quantity, i.price * 100])).toEqual(
      shown.map((r) => [r.variant.sku, 1, r.variant.priceCents]),
    );
    expect(event).toMatchObject({ result: 'oily', result_name: 'Oily skin', result_url: `${SHOP}/quiz?result=oily` });
    expect(messageTemplates['quiz-routine'].reads.safeParse({ customer, event }).success).toBe(true);
  });
});

describe('renderMessage: quiz routine (reads event.*)', () => {
  const { subject, html, text } = render();
  const shown = recommendationsFor('oily');

  it('names the result and lists every product with its price and link, in html and text', () => {
    expect(subject).toBe('Your Oily skin routine from Glowlab');
    expect(html).toContain('Hi Ada');
    expect(html).toContain('<strong>Oily skin</strong>');
    for (const { product, variant } of shown) {
      const link = `${SHOP}/products/${product.handle}?variant=${encodeURIComponent(variant.id)}`;
      for (const body of [html, text]) {
        expect(body).toContain(product.name);
        expect(body).toContain(formatMoney(variant.priceCents));
      }
      expect(html).toContain(`href="${link}"`);
      expect(text).toContain(link);
    }
    expect(html).toContain(`href="${SHOP}/quiz?result=oily"`);
    expect(text).toContain(`${SHOP}/quiz?result=oily`);
  });

  it('says why it came and how to stop it', () => {
    for (const body of [html, text]) {
      expect(body).toContain('ada@example.com asked for this routine');
      expect(body).toContain(`${SHOP}/unsubscribe/tok.sig`);
    }
  });
});
