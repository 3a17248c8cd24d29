import { EVENT, type CartItem, type EngineEvent } from '@/lib/cdp/model/event';

/**
 * What "a cart" is, for "one recovery message per cart". A cart starts with the first Added to Cart after the
 * previous cart closed and lasts until an Order Completed, a cart event that leaves it empty, or the shop's server
 * saying the person has no cart left (the `cart` attribute cleared, below). Every cart-bearing event in between
 * (more adds, removals, Checkout Started) belongs to the same cart, so a shopper adding three products gets one
 * run, not three. Spans are computed on the current history, so an anonymous add stitched later joins the cart it
 * belongs to.
 */

const CART_EVENTS = new Set<string>([EVENT.addedToCart, EVENT.removedFromCart, EVENT.checkoutStarted]);
const isCartEvent = (e: EngineEvent) => e.type === 'track' && e.name !== null && CART_EVENTS.has(e.name);
const isOrder = (e: EngineEvent) => e.type === 'track' && e.name === EVENT.orderCompleted;

export type CartSpan = {
  start: EngineEvent;
  /** Cart-bearing events of this cart, in time order; the last one holds the cart's current contents. */
  events: EngineEvent[];
  /** `cleared`: by a server identify that set the `cart` attribute to no cart (`event` is that identify). */
  closedBy: { event: EngineEvent; why: 'order' | 'emptied' | 'cleared' } | null;
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

/**
 * What a server-confirmed identify says of the `cart` person attribute: `cleared` when it sets it to no cart (null,
 * "" or a cart without items: a login from an emptied browser cart, an order, an email correction's mistyped
 * customer), `set` for any other value, null when it leaves it alone. A browser identify says nothing: anyone holds
 * the public write key, and only the server's attributes reach a message (subject.ts `trustedTraitsAt`).
 */
function cartAttributeChange(e: EngineEvent): 'cleared' | 'set' | null {
  if (e.type !== 'identify' || !e.serverConfirmed || !Object.hasOwn(e.properties, 'cart')) return null;
  const cart = e.properties.cart;
  if (cart === null || cart === '') return 'cleared';
  const items = typeof cart === 'object' ? (cart as { items?: unknown }).items : undefined;
  return Array.isArray(items) && items.length === 0 ? 'cleared' : 'set';
}

/**
 * Splits a (timestamp, seq)-sorted history into carts. A cleared `cart` attribute closes the open cart unless the
 * server sets the attribute again, or a cart event shows the cart still there, before the next add: the attribute
 * is cleared at an order just ahead of its Order Completed, and set again to what the order left
 * (recordCartAfterOrder), so only a clear that stands ends the cart. An add after it starts a new cart.
 */
export function cartSpans(history: EngineEvent[]): CartSpan[] {
  const spans: CartSpan[] = [];
  let open: CartSpan | null = null;
  let cleared: EngineEvent | null = null;
  const close = (event: EngineEvent, why: 'order' | 'emptied' | 'cleared') => {
    open!.closedBy = { event, why };
    open = null;
    cleared = null;
  };
  for (const e of history) {
    if (open && cleared && e.type === 'track' && e.name === EVENT.addedToCart) close(cleared, 'cleared');
    if (!open && e.type === 'track' && e.name === EVENT.addedToCart) {
      open = { start: e, events: [], closedBy: null };
      spans.push(open);
    }
    if (!open) continue;
    if (isCartEvent(e)) open.events.push(e);
    const change = cartAttributeChange(e);
    if (change === 'cleared') cleared ??= e;
    else if (change === 'set' || isCartEvent(e)) cleared = null;
    if (isOrder(e)) close(e, 'order');
    else if (isCartEvent(e) && cartItems(e).length === 0) close(e, 'emptied');
  }
  if (open && cleared) close(cleared, 'cleared');
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
