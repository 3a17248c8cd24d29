import { describe, expect, it } from 'vitest';
import { messageTemplates, templateIds } from '@/lib/cdp/engine/messages/catalog';
import { customerIoLiquid, UNSUBSCRIBE_URL } from '@/lib/cdp/engine/messages/liquid';
import { compileFast } from '@/lib/cdp/engine/messages/liquid-fast';
import { readTemplate } from '@/lib/cdp/engine/messages/render';
import { cartAttribute, SHOP } from '../support/engine-fixtures';

const engine = customerIoLiquid();
const globals = { [UNSUBSCRIBE_URL]: `${SHOP}/unsubscribe/tok.sig` };

/** Every template of the catalog: its subject, HTML and text, by name. */
const sources = templateIds.flatMap((id) => {
  const entry = messageTemplates[id];
  return [
    { name: `${id}:subject`, source: entry.subject },
    { name: entry.html, source: readTemplate(entry.html) },
    { name: entry.text, source: readTemplate(entry.text) },
  ];
});

/** liquidjs' own render: the output, or the error it fails with. */
function slow(templates: ReturnType<typeof engine.parse>, data: object): { out?: string; error?: string } {
  try {
    return { out: engine.renderSync(templates, data, { globals }) as string };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const customer = { id: 'cus_ada', email: 'ada@example.com' };
const snippets = { shop_url: SHOP };
const cart = cartAttribute([
  ['GL-SERUM-30', 2],
  ['GL-CREAM-50', 1],
]);
const event = { name: 'Hydrating Serum', price: 34, image_url: `${SHOP}/p.svg`, product_url: `${SHOP}/p/serum` };

/** A routine asked for on a quiz result (Quiz Routine Requested): one product plain, one with a variant and a text price. */
const routine = {
  result_name: 'Oily skin',
  result_url: `${SHOP}/quiz?result=oily`,
  items: [
    { name: 'Gel Cleanser', price: 18, image_url: `${SHOP}/c.svg`, product_url: `${SHOP}/p/cleanser` },
    { ...event, variant_name: '30 ml', price: '34' },
  ],
};

/** Data on and off the happy path: names unset, empty or needing escapes, odd values, missing objects. */
const contexts: { what: string; data: object; fast: boolean }[] = [
  { what: 'a full cart', data: { customer: { ...customer, first_name: 'Ada', cart } }, fast: true },
  { what: 'no first name', data: { customer: { ...customer, cart } }, fast: true },
  { what: 'a null first name', data: { customer: { ...customer, first_name: null, cart } }, fast: true },
  { what: 'an empty first name', data: { customer: { ...customer, first_name: '', cart } }, fast: true },
  { what: 'markup in a name', data: { customer: { ...customer, first_name: `<b>"A&o'`, cart } }, fast: true },
  {
    what: 'a variant, a numeric-string price, one line',
    data: {
      customer: {
        ...customer,
        cart: { ...cart, items: [{ ...cart.items[0], variant_name: '30 ml', price: '18', quantity: 1 }] },
      },
    },
    fast: true,
  },
  { what: 'an empty cart', data: { customer: { ...customer, cart: { ...cart, items: [] } } }, fast: true },
  { what: 'a browsed product', data: { customer, event }, fast: true },
  { what: 'a browsed variant', data: { customer, event: { ...event, variant_name: 'Rose' } }, fast: true },
  { what: 'a quiz with no picks', data: { customer, event: { result: 'dry', recommended_skus: [] } }, fast: true },
  { what: 'a quiz with one pick', data: { customer, event: { result: 'dry', recommended_skus: ['A'] } }, fast: true },
  {
    what: 'a quiz with picks',
    data: { customer, event: { result: 'oily', recommended_skus: ['A', 'B'] } },
    fast: true,
  },
  { what: 'a routine asked for', data: { customer: { ...customer, first_name: 'Ada' }, event: routine }, fast: true },
  { what: 'a routine with no products', data: { customer, event: { ...routine, items: [] } }, fast: true },
  { what: 'no cart', data: { customer }, fast: false },
  {
    what: 'a price that is not a number',
    data: { customer: { ...customer, cart: { ...cart, cart_value: 'n/a' } } },
    fast: false,
  },
  { what: 'an object for a name', data: { customer: { ...customer, first_name: { a: 1 }, cart } }, fast: false },
  { what: 'nothing', data: {}, fast: false },
];

describe('the compiled fast path of the message templates', () => {
  it('compiles every template of the catalog (else each email would go through liquidjs again)', () => {
    for (const { name, source } of sources) expect(compileFast(engine.parse(source)), name).not.toBeNull();
  });

  it('renders exactly what liquidjs renders, and leaves to liquidjs whatever it does not render itself', () => {
    let fastRenders = 0;
    for (const { name, source } of sources) {
      const templates = engine.parse(source);
      const fast = compileFast(templates)!;
      for (const { what, data: own } of contexts) {
        const data = { ...own, snippets };
        const expected = slow(templates, data);
        const quick = fast(data, globals);
        if (quick === undefined) continue;
        fastRenders++;
        expect({ out: quick }, `${name} with ${what}`).toEqual(expected);
      }
    }
    // The happy cases did go the fast way: the cart template for every cart above, the others for theirs.
    expect(fastRenders).toBeGreaterThan(sources.length * 4);
  });

  it('takes the fast way for the data a journey sends with, and gives up where liquidjs fails or decides', () => {
    const cartHtml = compileFast(engine.parse(readTemplate(messageTemplates['cart-recovery'].html)))!;
    for (const { what, data, fast } of contexts.filter((c) => 'customer' in c.data && !('event' in c.data)))
      expect(cartHtml({ ...data, snippets }, globals) !== undefined, what).toBe(fast);
    expect(cartHtml({ customer: { ...customer, cart }, snippets }, {}), 'no unsubscribe link').toBeUndefined();
    expect(cartHtml({ customer: { ...customer, cart } }, globals), 'no snippets').toBeUndefined();
  });

  it('leaves to liquidjs the constructs it does not compile', () => {
    for (const source of [
      '{% assign x = 1 %}{{ x }}',
      '{% for i in items limit: 1 %}{{ i }}{% endfor %}',
      '{{ name | upcase }}',
      '{% if a and b %}x{% endif %}',
      '{{ items.first }}',
    ])
      expect(
        compileFast(engine.parse(source)) === null ||
          compileFast(engine.parse(source))!({ items: [1], name: 'a', a: 1, b: 1 }, globals) === undefined,
        source,
      ).toBe(true);
  });
});
