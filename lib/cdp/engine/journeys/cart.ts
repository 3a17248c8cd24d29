import { EVENT, type CartItem, type EngineEvent } from '@/lib/cdp/model/event';

/**
 * What "a cart" is, for "one recovery message per cart". A cart starts with the first Added to Cart after the
 * previous cart closed and lasts until an Order Completed or a cart event that leaves it empty. Every
 * cart-bearing event in between (more adds, removals, Checkout Started) belongs to the same cart, so a
 * shopper adding three products gets one run, not three. Spans are computed on the current history, so an
 * anonymous add stitched later joins the cart it belongs to.
 */

const CART_EVENTS = new Set<string>([EVENT.addedToCart, EVENT.removedFromCart, EVENT.checkoutStarted]);
const isCartEvent = (e: EngineEvent) => e.type === 'track' && e.name !== null && CART_EVENTS.has(e.name);
const isOrder = (e: EngineEvent) => e.type === 'track' && e.name === EVENT.orderCompleted;

export type CartSpan = {
  start: EngineEvent;
  /** Cart-bearing events of this cart, in time order; the last one holds the cart's current contents. */
  events: EngineEvent[];
  closedBy: { event: EngineEvent; why: 'order' | 'emptied' } | null;
};

/** The cart lines an event carries, skipping anything that isn't a line. */
export function cartItems(e: EngineEvent): CartItem[] {
  const items = e.properties.items;
  if (!Array.isArray(items)) return [];
  return items.filter(
    (i): i is CartItem =>
      typeof i === 'object' && i !== null && typeof i.sku === 'string' && typeof i.quantity === 'number',
  );
}

/** Splits a (timestamp, seq)-sorted history into carts. */
export function cartSpans(history: EngineEvent[]): CartSpan[] {
  const spans: CartSpan[] = [];
  let open: CartSpan | null = null;
  for (const e of history) {
    if (!open && e.type === 'track' && e.name === EVENT.addedToCart) {
      open = { start: e, events: [], closedBy: null };
      spans.push(open);
    }
    if (!open) continue;
    if (isCartEvent(e)) open.events.push(e);
    const why = isOrder(e) ? 'order' : isCartEvent(e) && cartItems(e).length === 0 ? 'emptied' : null;
    if (why) {
      open.closedBy = { event: e, why };
      open = null;
    }
  }
  return spans;
}

/**
 * Each cart-bearing event's span, per history array: histories are memoized per profile and never mutated
 * (engine/subject.ts), so "same cart?" checks for every trigger and run cost one split per pass, not one each.
 */
const spanIndex = new WeakMap<EngineEvent[], Map<number, CartSpan>>();
function spansBySeq(history: EngineEvent[]): Map<number, CartSpan> {
  let index = spanIndex.get(history);
  if (!index) {
    index = new Map();
    for (const span of cartSpans(history)) for (const e of span.events) index.set(e.seq, span);
    spanIndex.set(history, index);
  }
  return index;
}

export const cartOf = (history: EngineEvent[], seq: number): CartSpan | undefined => spansBySeq(history).get(seq);

export function inSameCart(history: EngineEvent[], seqA: number, seqB: number): boolean {
  const span = cartOf(history, seqA);
  return span !== undefined && span.events.some((e) => e.seq === seqB);
}
