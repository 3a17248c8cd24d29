import { Liquid } from 'liquidjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import type { CartStrategy } from '@/lib/cdp/engine/journeys';
import { messageTemplates, type TemplateId } from '@/lib/cdp/engine/messages/catalog';
import { currency, UNSUBSCRIBE_URL } from '@/lib/cdp/engine/messages/liquid';
import { readTemplate } from '@/lib/cdp/engine/messages/render';
import { journeyPass } from '@/lib/cdp/runtime/journey-pass';
import { findVariantBySku, getQuiz } from '@/lib/shop/domain/catalog';
import { scoreQuiz } from '@/lib/shop/domain/quiz';
import { productViewedProps } from '@/lib/shop/domain/tracking-items';
import { cartAttribute, serverCartProps } from '@/lib/shop/server/tracking';
import { call, freshDb, ingest, MINUTE, T0, testClock } from '../cdp/support';

/**
 * Issue 10 §4: every template, rendered by stock liquidjs in strict mode with only the Customer.io-named pieces we
 * implemented, given exactly the data Customer.io would have in that kind of campaign (lib/cdp/engine/journeys/
 * README.md, "Run it on Customer.io"), shows the same items, totals and links as the local outbox. The data is
 * built here from the calls the shop's server sends — `customer` = the traits of its identifies, `event` = the
 * trigger's properties as sent — never read back from the pipeline.
 */
const SHOP = 'http://shop.test';
const HOUR = 60 * MINUTE;
const saved = { APP_URL: process.env.APP_URL, APP_SECRET: process.env.APP_SECRET };
beforeAll(() => {
  Object.assign(process.env, { APP_URL: SHOP, APP_SECRET: 'parity-test-secret-0123456789' });
  resetEnvCache();
});
afterAll(() => {
  for (const [key, value] of Object.entries(saved))
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  resetEnvCache();
});

/** Stock liquidjs, strict, with only the Customer.io filter and tag we implemented under their names. */
function stockRender(id: TemplateId, data: Record<string, unknown>) {
  const engine = new Liquid({ strictVariables: true, strictFilters: true, lenientIf: true });
  engine.registerFilter('currency', currency);
  engine.registerTag('unsubscribe_url', {
    render: (ctx, emitter) => emitter.write(String((ctx.globals as Record<string, unknown>)[UNSUBSCRIBE_URL])),
  });
  const options = { globals: { [UNSUBSCRIBE_URL]: 'CUSTOMER_IO_UNSUBSCRIBE' } };
  const { subject, html, text } = messageTemplates[id];
  const render = (source: string) => engine.parseAndRenderSync(source, data, options) as string;
  return {
    subject: render(subject).replace(/\s+/g, ' ').trim(),
    html: render(readTemplate(html)),
    text: render(readTemplate(text)),
  };
}

/** What a reader sees and follows: item lines, totals, and every link but the unsubscribe link. */
function visible(message: { subject: string; html: string; text: string }) {
  const links = [...message.html.matchAll(/(?:href|src)="([^"]*)"/g)]
    .map((m) => m[1]!)
    .filter((l) => !l.includes('/unsubscribe/') && l !== 'CUSTOMER_IO_UNSUBSCRIBE');
  const amounts = message.text.match(/\$[\d,]+\.\d{2}/g) ?? [];
  const lines = message.text.split('\n').filter((l) => l.startsWith('- '));
  return { subject: message.subject, links, amounts, lines };
}

const unsubscribeFree = (body: string) =>
  body.replace(/http:\/\/shop\.test\/unsubscribe\/[\w.-]+|CUSTOMER_IO_UNSUBSCRIBE/g, 'UNSUBSCRIBE');

type Sent = { customer: Record<string, unknown>; event?: Record<string, unknown> };

/** The shop's server, as far as these scenarios need it: its calls go through ingest, traits are remembered. */
function shopServer(db: DB) {
  const traits = new Map<string, Record<string, unknown>>();
  return {
    async identify(userId: string, anonymousId: string | undefined, sent: Record<string, unknown>, at: Date) {
      traits.set(userId, { ...traits.get(userId), ...sent });
      await ingest(db, [call('identify', { userId, anonymousId, traits: sent })], at);
    },
    async track(event: string, who: Record<string, unknown>, properties: object, at: Date) {
      const sent: Record<string, unknown> = { ...properties, schema_version: 1 };
      await ingest(db, [call('track', { event, ...who, properties: sent })], at);
      return sent;
    },
    /** Customer.io's `customer` scope for a person: the attributes the identifies set, with id and email. */
    customer: (id: string) => ({ ...traits.get(id), id, email: traits.get(id)?.email }),
  };
}

async function outboxAfter(db: DB, live: CartStrategy, clock: ReturnType<typeof testClock>, hours: number) {
  for (let h = 0; h <= hours; h++) {
    await journeyPass(db, { now: clock.now, liveCartStrategy: live, appUrl: SHOP });
    clock.advance(HOUR);
  }
  return db.selectFrom('outbox').selectAll().execute();
}

const lines = [
  { sku: 'GL-SER-NIA-30', quantity: 2 },
  { sku: 'GL-BUN-BARRIER', quantity: 1 },
];

/** Each strategy's scenario, and the data Customer.io has in its kind of campaign. */
const cartScenarios: Record<CartStrategy, (db: DB, clock: ReturnType<typeof testClock>) => Promise<Sent>> = {
  // Event-triggered on Added to Cart, filtered to people with an email: a signed-in shopper's add.
  event: async (db, clock) => {
    const shop = shopServer(db);
    await shop.identify('cus_ada', 'a1', { email: 'ada@example.com', first_name: 'Ada' }, clock.now);
    clock.advance(MINUTE);
    const added = { added: { sku: 'GL-BUN-BARRIER', variant_id: 'x', quantity: 1 }, ...(await serverCartProps(lines)) };
    const event = await shop.track('Added to Cart', { userId: 'cus_ada' }, added, clock.now);
    await shop.identify('cus_ada', 'a1', { cart: await cartAttribute(lines) }, clock.now);
    return { customer: shop.customer('cus_ada'), event };
  },
  // Segment-triggered (cart abandoners): an anonymous add, then a signup 3 h later carrying the cart. No event.
  lookback: async (db, clock) => {
    const shop = shopServer(db);
    const added = { added: { sku: 'GL-BUN-BARRIER', variant_id: 'x', quantity: 1 }, ...(await serverCartProps(lines)) };
    await shop.track('Added to Cart', { anonymousId: 'a2' }, added, clock.now);
    clock.advance(3 * HOUR);
    const signup = { email: 'bo@example.com', first_name: 'Bo', cart: await cartAttribute(lines) };
    await shop.identify('cus_bo', 'a2', signup, clock.now);
    return { customer: shop.customer('cus_bo') };
  },
  // Event-triggered on Added to Cart by an anonymous shopper, identified (email capture) within 72 h.
  hold: async (db, clock) => {
    const shop = shopServer(db);
    const added = { added: { sku: 'GL-BUN-BARRIER', variant_id: 'x', quantity: 1 }, ...(await serverCartProps(lines)) };
    const event = await shop.track('Added to Cart', { anonymousId: 'a3' }, added, clock.now);
    clock.advance(10 * HOUR);
    await shop.identify('cus_cy', 'a3', { email: 'cy@example.com', cart: await cartAttribute(lines) }, clock.now);
    return { customer: shop.customer('cus_cy'), event };
  },
};

describe('templates render the same with stock liquidjs on exactly the data Customer.io has', () => {
  for (const live of ['event', 'lookback', 'hold'] as const) {
    it(`cart recovery, ${live} strategy`, async () => {
      const db = await freshDb();
      const clock = testClock(T0);
      const sent = await cartScenarios[live](db, clock);
      const outbox = await outboxAfter(db, live, clock, 2);
      expect(outbox.map((m) => m.journey_id)).toEqual([`cart-recovery-${live}`]);
      const local = outbox[0]!;
      const customerIo = stockRender('cart-recovery', { ...sent, snippets: { shop_url: SHOP } });

      expect(visible(local)).toEqual(visible(customerIo));
      const cart = sent.customer.cart as { restore_url: string; cart_value: number };
      expect(visible(local).links).toContain(cart.restore_url);
      expect(visible(local).amounts).toEqual(['$24.00', '$64.00', '$112.00']);
      expect(visible(local).lines[0]).toBe('- Niacinamide 10% Serum (30 ml) x 2: $24.00 each');
      expect(unsubscribeFree(local.html)).toBe(unsubscribeFree(customerIo.html));
      expect(unsubscribeFree(local.text)).toBe(unsubscribeFree(customerIo.text));
    });
  }

  it('browse recovery: event-triggered on the 2nd Product Viewed; the event is that view', async () => {
    const db = await freshDb();
    const clock = testClock(T0);
    const shop = shopServer(db);
    await shop.identify('cus_dee', 'a4', { email: 'dee@example.com', first_name: 'Dee' }, clock.now);
    const view = (sku: string) => {
      const { product, variant } = findVariantBySku(sku)!;
      return shop.track('Product Viewed', { userId: 'cus_dee' }, productViewedProps(product, variant, SHOP), clock.now);
    };
    await view('GL-SER-NIA-30');
    clock.advance(MINUTE);
    const event = await view('GL-CLN-GEL-300');
    const outbox = await outboxAfter(db, 'event', clock, 2);
    expect(outbox.map((m) => m.journey_id)).toEqual(['browse-recovery']);
    const customerIo = stockRender('browse-recovery', {
      customer: shop.customer('cus_dee'),
      event,
      snippets: { shop_url: SHOP },
    });
    expect(visible(outbox[0]!)).toEqual(visible(customerIo));
    expect(visible(customerIo).links).toContain(event.product_url);
    expect(outbox[0]!.subject).toBe('Still thinking about Gentle Gel Cleanser?');
    expect(unsubscribeFree(outbox[0]!.html)).toBe(unsubscribeFree(customerIo.html));
  });

  it('quiz follow-up: event-triggered on Quiz Completed, 24 h later', async () => {
    const db = await freshDb();
    const clock = testClock(T0);
    const shop = shopServer(db);
    await shop.identify('cus_eli', 'a5', { email: 'eli@example.com' }, clock.now);
    const quiz = getQuiz();
    const answers = Object.fromEntries(quiz.questions.map((q) => [q.id, q.options[0]!.id]));
    const result = scoreQuiz(answers);
    const props = { quiz_id: quiz.id, answers, result, recommended_skus: quiz.results[result].recommendedSkus };
    const event = await shop.track('Quiz Completed', { userId: 'cus_eli' }, props, clock.now);
    const outbox = await outboxAfter(db, 'event', clock, 25);
    expect(outbox.map((m) => m.journey_id)).toEqual(['quiz-follow-up']);
    const customerIo = stockRender('quiz-follow-up', {
      customer: shop.customer('cus_eli'),
      event,
      snippets: { shop_url: SHOP },
    });
    expect(visible(outbox[0]!)).toEqual(visible(customerIo));
    expect(outbox[0]!.html).toContain(`href="${SHOP}/quiz?result=${result}"`);
    // No first name was given: both greet "there" (Customer.io's documented fallback).
    expect(outbox[0]!.text.startsWith('Hi there,')).toBe(true);
    expect(unsubscribeFree(outbox[0]!.text)).toBe(unsubscribeFree(customerIo.text));
  });
});

describe('the HTML templates escape what they print, as they must in Customer.io', () => {
  it('every {{ output }} of every HTML template ends with | escape', () => {
    for (const { html } of Object.values(messageTemplates)) {
      const outputs = [...readTemplate(html).matchAll(/\{\{-?([\s\S]*?)-?\}\}/g)].map((m) => m[1]!.trim());
      expect(outputs.length, html).toBeGreaterThan(0);
      expect(
        outputs.filter((o) => !/\|\s*escape$/.test(o)),
        html,
      ).toEqual([]);
    }
  });
});
