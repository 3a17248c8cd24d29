import { parseDuration } from '@/lib/common/duration';
import { EVENT, type EngineEvent, type Profile } from '@/lib/cdp/model/event';
import {
  stepJourneys,
  type CartStrategy,
  type JourneyDefinition,
  type JourneyRun,
  type MessageIntent,
} from '@/lib/cdp/engine/journeys';

/** A fixed instant the scenarios are written around. */
export const T0 = new Date('2026-03-02T12:00:00.000Z');

/** `at('4h')` = T0 + 4 h, `at('-4h')` = T0 − 4 h, `at('4h', 1)` = one millisecond later. */
export function at(offset = '0ms', plusMs = 0): Date {
  const negative = offset.startsWith('-');
  const ms = parseDuration(negative ? offset.slice(1) : offset);
  return new Date(T0.getTime() + (negative ? -ms : ms) + plusMs);
}

let nextSeq = 1;

/** `browserOnly`: sent by a browser and never confirmed by the shop's server (default: server-confirmed). */
type EventOptions = { stitchedAt?: Date; seq?: number; browserOnly?: boolean };

function event(
  type: EngineEvent['type'],
  name: string | null,
  timestamp: Date,
  properties: Record<string, unknown>,
  o: EventOptions,
): EngineEvent {
  return {
    seq: o.seq ?? nextSeq++,
    type,
    name,
    timestamp,
    attachedAt: o.stitchedAt ?? null,
    stitched: Boolean(o.stitchedAt),
    serverConfirmed: !o.browserOnly,
    properties,
  };
}

export const track = (name: string, timestamp: Date, properties: Record<string, unknown> = {}, o: EventOptions = {}) =>
  event('track', name, timestamp, properties, o);

export const identify = (timestamp: Date, traits: Record<string, unknown>, o: EventOptions = {}) =>
  event('identify', null, timestamp, traits, o);

export const PRODUCTS = {
  'GL-SERUM-30': {
    product_id: 'glow-serum',
    variant_id: 'glow-serum-30ml',
    name: 'Glow Serum',
    variant_name: '30 ml',
    price: 34,
  },
  'GL-CREAM-50': {
    product_id: 'barrier-cream',
    variant_id: 'barrier-cream-50ml',
    name: 'Barrier Cream',
    variant_name: '50 ml',
    price: 28.5,
  },
  'GL-CLEANSE': {
    product_id: 'milk-cleanser',
    variant_id: 'milk-cleanser-150ml',
    name: 'Milk Cleanser',
    price: 19,
  },
} as const;
export type Sku = keyof typeof PRODUCTS;

export const SHOP = 'https://shop.test';

/** Whole-cart properties as the tracking plan puts them on every cart-bearing event (absolute URLs). */
export function cartProperties(lines: [Sku, number][]) {
  const items = lines.map(([sku, quantity]) => ({
    sku,
    quantity,
    ...PRODUCTS[sku],
    image_url: `${SHOP}/images/products/${PRODUCTS[sku].product_id}.svg`,
    product_url: `${SHOP}/products/${PRODUCTS[sku].product_id}`,
  }));
  const cart_value = Math.round(items.reduce((sum, i) => sum + i.price * i.quantity, 0) * 100) / 100;
  const item_count = lines.reduce((n, [, q]) => n + q, 0);
  return { items, cart_value, item_count, currency: 'USD', schema_version: 1 };
}

/** The `cart` person attribute as the shop's server sets it on identify: the cart block and its restore link. */
export function cartAttribute(lines: [Sku, number][]) {
  const { items, cart_value, item_count, currency } = cartProperties(lines);
  const token = lines.map(([sku, q]) => `${sku}x${q}`).join('.');
  return { items, cart_value, item_count, currency, restore_url: `${SHOP}/cart/restore/${token}` };
}

/** The server identify the shop sends when it sees a known shopper's cart change: sets `cart`. */
export const setCart = (timestamp: Date, lines: [Sku, number][], o: EventOptions = {}) =>
  identify(timestamp, { cart: cartAttribute(lines) }, o);

export const addToCart = (timestamp: Date, lines: [Sku, number][], o: EventOptions = {}) =>
  track(EVENT.addedToCart, timestamp, cartProperties(lines), o);

/** A known shopper's add as the shop sends it: the mirrored Added to Cart and the `cart` attribute it sets. */
export const addToKnownCart = (timestamp: Date, lines: [Sku, number][]) => [
  addToCart(timestamp, lines),
  setCart(timestamp, lines),
];

export const order = (timestamp: Date, o: EventOptions = {}) =>
  track(EVENT.orderCompleted, timestamp, { order_id: `ord_${timestamp.getTime()}`, total: 10, currency: 'USD' }, o);

export const productViewed = (timestamp: Date, sku: Sku, o: EventOptions = {}) =>
  track(
    EVENT.productViewed,
    timestamp,
    {
      ...PRODUCTS[sku],
      sku,
      price: PRODUCTS[sku].price,
      currency: 'USD',
      image_url: `${SHOP}/images/products/${PRODUCTS[sku].product_id}.svg`,
      product_url: `${SHOP}/products/${PRODUCTS[sku].product_id}`,
    },
    o,
  );

export function profile(events: EngineEvent[], profileId = 'cus_ada'): Profile {
  const email = [...events].reverse().find((e) => e.type === 'identify' && e.properties.email)?.properties.email;
  return { profileId, email: typeof email === 'string' ? email : null, traits: {}, events };
}

/**
 * Drives the runner like the scheduler will: one pass at each time, feeding back the stored runs. Returns the
 * runs by journey id (after the last pass) and every message, so tests read outcomes, not internals.
 */
export function simulate(
  journeys: readonly JourneyDefinition[],
  profileAt: (now: Date) => Profile,
  times: Date[],
  live: CartStrategy | ((now: Date) => CartStrategy) = 'lookback',
) {
  const runs = new Map<string, JourneyRun>();
  const messages: MessageIntent[] = [];
  for (const now of times) {
    const liveCartStrategy = typeof live === 'function' ? live(now) : live;
    const result = stepJourneys({
      journeys,
      liveCartStrategy,
      profiles: [profileAt(now)],
      runs: [...runs.values()],
      now,
    });
    result.runsToUpsert.forEach((r) => runs.set(r.id, r));
    messages.push(...result.messages);
  }
  const byJourney = (id: string) => [...runs.values()].filter((r) => r.journeyId === id);
  return { runs: [...runs.values()], byJourney, messages };
}
