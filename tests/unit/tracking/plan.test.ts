import { describe, expect, it } from 'vitest';
import {
  DRIFTED_NAMES,
  EVENT_NAMES,
  SCHEMA_VERSION,
  canonicalEventName,
  cartPayload,
  checkAgainstPlan,
  toMajorUnits,
  trackEventSchema,
  type CartItem,
} from '@/lib/tracking/plan';

const item = (over: Partial<CartItem> = {}): CartItem => ({
  sku: 'SER-VITC-30',
  variant_id: 'var_vitc_30',
  product_id: 'prod_vitc',
  name: 'Vitamin C Serum',
  quantity: 1,
  price: 34,
  image_url: 'http://localhost:3000/products/vitc.svg',
  product_url: 'http://localhost:3000/products/vitamin-c-serum',
  ...over,
});
const cart = cartPayload([item({ quantity: 2 })], 'USD');
const line = { sku: 'SER-VITC-30', variant_id: 'var_vitc_30', quantity: 1 };

/** One valid property set per planned event; the test below fails if an event is added without one. */
const VALID: Record<string, Record<string, unknown>> = {
  'Product Viewed': {
    product_id: 'prod_vitc',
    sku: 'SER-VITC-30',
    variant_id: 'var_vitc_30',
    name: 'Vitamin C Serum',
    category: 'serums',
    price: 34,
    currency: 'USD',
    image_url: 'http://localhost:3000/p.svg',
    product_url: 'http://localhost:3000/products/vitc',
  },
  'Collection Viewed': { collection_id: 'serums', name: 'Serums', item_count: 4 },
  'Products Searched': { query: 'niacinamide', result_count: 0 },
  'Added to Cart': { added: line, ...cart },
  'Removed from Cart': { removed: line, ...cart },
  'Cart Restored': { restore_token_id: 'rt_1', ...cart },
  'Quiz Started': { quiz_id: 'skin-v1' },
  'Quiz Completed': {
    quiz_id: 'skin-v1',
    answers: { type: 'oily', goals: ['glow'] },
    result: 'oily',
    recommended_skus: ['SER-VITC-30'],
  },
  'Quiz Routine Requested': {
    quiz_id: 'skin-v1',
    result: 'oily',
    result_name: 'Oily skin',
    result_url: 'http://localhost:3000/quiz?result=oily',
    items: [item({ quantity: 1 })],
    currency: 'USD',
  },
  'Email Captured': { source: 'quiz' },
  'Checkout Started': { ...cart },
  'Order Completed': {
    order_id: 'ord_1',
    items: cart.items,
    subtotal: 68,
    shipping: 5,
    tax: 0,
    total: 73,
    currency: 'USD',
  },
  'Signed Up': { method: 'password' },
  'Logged In': { method: 'password' },
  'Logged Out': { method: 'user' },
};

const track = (event: string, properties: Record<string, unknown>) =>
  checkAgainstPlan({ type: 'track', event, properties: { schema_version: SCHEMA_VERSION, ...properties } });

describe('tracking plan', () => {
  it('has a valid example for every planned event, and each passes', () => {
    expect(Object.keys(VALID).sort()).toEqual([...EVENT_NAMES].sort());
    for (const [name, props] of Object.entries(VALID)) {
      expect(track(name, props), name).toEqual({ canonicalName: name, violations: [] });
      expect(trackEventSchema.safeParse({ event: name, properties: { schema_version: 1, ...props } }).success).toBe(
        true,
      );
    }
  });

  it('reports a missing required property of every planned event', () => {
    for (const [name, props] of Object.entries(VALID)) {
      const [first] = Object.keys(props).filter((k) => k !== 'restore_token_id');
      const rest = { ...props };
      delete rest[first!];
      const { violations } = track(name, rest);
      expect(violations, name).toContainEqual(
        expect.objectContaining({ kind: 'missing_property', path: `properties.${first}` }),
      );
    }
  });

  it('reports mistyped properties with their path', () => {
    const { violations } = track('Added to Cart', {
      ...VALID['Added to Cart'],
      items: [{ ...item(), price: '34.00' }],
    });
    expect(violations).toEqual([
      expect.objectContaining({ kind: 'invalid_property', path: 'properties.items.0.price' }),
    ]);
    expect(track('Email Captured', { source: 'banner' }).violations[0]?.kind).toBe('invalid_property');
    expect(track('Product Viewed', { ...VALID['Product Viewed'], currency: 'usd' }).violations[0]?.path).toBe(
      'properties.currency',
    );
    expect(track('Product Viewed', { ...VALID['Product Viewed'], image_url: '/p.svg' }).violations[0]?.path).toBe(
      'properties.image_url',
    );
  });

  it('treats shipping_country as optional on Checkout Started but validates it when present', () => {
    expect(track('Checkout Started', { ...cart, shipping_country: 'US' }).violations).toEqual([]);
    expect(track('Checkout Started', { ...cart, shipping_country: 'USA' }).violations[0]?.path).toBe(
      'properties.shipping_country',
    );
    expect(track('Checkout Started', { ...cart, items: [] }).violations[0]?.path).toBe('properties.items');
  });

  it('ignores extra keys the SDKs add', () => {
    expect(track('Quiz Started', { quiz_id: 'q', url: 'http://x', referrer: '' }).violations).toEqual([]);
  });

  it('reports a missing schema_version as its own kind', () => {
    const result = checkAgainstPlan({ type: 'track', event: 'Quiz Started', properties: { quiz_id: 'q' } });
    expect(result.violations).toEqual([expect.objectContaining({ kind: 'missing_schema_version' })]);
    expect(track('Quiz Started', { quiz_id: 'q', schema_version: 2 }).violations[0]?.kind).toBe('invalid_property');
  });

  it('reports unknown events with no canonical name', () => {
    expect(track('Wishlist Shared', {})).toEqual({
      canonicalName: null,
      violations: [expect.objectContaining({ kind: 'unknown_event' })],
    });
    expect(checkAgainstPlan({ type: 'track' }).violations[0]?.kind).toBe('unknown_event');
  });

  it('maps drifted names to the canonical name', () => {
    const expected: Record<string, string> = {
      add_to_cart: 'Added to Cart',
      'Product Added': 'Added to Cart',
      product_added: 'Added to Cart',
      view_item: 'Product Viewed',
      begin_checkout: 'Checkout Started',
      purchase: 'Order Completed',
    };
    for (const [drifted, canonical] of Object.entries(expected)) {
      expect(DRIFTED_NAMES[drifted]).toBe(canonical);
      expect(track(drifted, {})).toEqual({
        canonicalName: canonical,
        violations: [expect.objectContaining({ kind: 'drifted_name' })],
      });
    }
    for (const canonical of Object.values(DRIFTED_NAMES)) expect(EVENT_NAMES).toContain(canonical);
    expect(canonicalEventName('added to cart')).toBe('Added to Cart');
    expect(canonicalEventName('OrderCompleted')).toBe('Order Completed');
  });

  it('checks only what applies to other message types', () => {
    expect(
      checkAgainstPlan({ type: 'page', name: 'Home', properties: { schema_version: 1, path: '/', url: 'http://x/' } })
        .violations,
    ).toEqual([]);
    expect(checkAgainstPlan({ type: 'page', name: 'Home', properties: { schema_version: 1 } }).violations).toEqual([
      expect.objectContaining({ kind: 'missing_property', path: 'properties.path' }),
    ]);
    expect(checkAgainstPlan({ type: 'identify', properties: undefined })).toEqual({
      canonicalName: null,
      violations: [],
    });
    expect(checkAgainstPlan({ type: 'alias' }).violations).toEqual([]);
  });
});

describe('cartPayload', () => {
  it('sums value in cents and counts quantities', () => {
    const p = cartPayload(
      [
        item({ price: 19.99, quantity: 3 }),
        item({ sku: 'B', price: 0.1, quantity: 2 }),
        item({ sku: 'C', price: 0.2 }),
      ],
      'EUR',
    );
    expect(p.cart_value).toBe(60.37);
    expect(p.item_count).toBe(6);
    expect(p.currency).toBe('EUR');
    expect(p.items.map((i) => i.sku)).toEqual(['SER-VITC-30', 'B', 'C']);
  });

  it('copies only planned item keys and handles an empty cart', () => {
    const p = cartPayload([{ ...item(), internal_note: 'x' } as CartItem], 'USD');
    expect(Object.keys(p.items[0]!).sort()).toEqual([
      'image_url',
      'name',
      'price',
      'product_id',
      'product_url',
      'quantity',
      'sku',
      'variant_id',
    ]);
    expect(cartPayload([], 'USD')).toEqual({ items: [], cart_value: 0, item_count: 0, currency: 'USD' });
  });

  it('converts shop cents to major units', () => {
    expect(toMajorUnits(3450)).toBe(34.5);
    expect(toMajorUnits(1)).toBe(0.01);
  });
});
