import {
  array,
  literal,
  number,
  object,
  oneOf,
  optional,
  record,
  string,
  union,
  type Props,
  type Shape,
  type Value,
} from './descriptors';
import { SCHEMA_VERSION, type CartItem } from './plan-payload';

/**
 * The tracking plan (v1) as data, zod-free: the one source of the plan. ./plan.ts builds the zod schemas from it
 * (server, pipeline); ./plan-check.ts checks browser calls with it. Names are Title Case "Object Action";
 * properties are snake_case; money is a decimal number in major units plus `currency`. Objects are non-strict
 * (unknown keys are ignored, never violations), because the SDKs add keys of their own (url, referrer, title…).
 */
const text = string({ trim: true, min: 1 });
const money = number({ gte: 0 });
const count = number({ int: true, gte: 0 });
const quantity = number({ int: true, gt: 0 });
const currency = string({ pattern: /^[A-Z]{3}$/, message: 'an ISO 4217 code such as "USD"' });
// Absolute, so a recovery email can link and show images without knowing the shop's origin.
const absoluteUrl = string({ pattern: /^https?:\/\/\S+$/, message: 'an absolute http(s) URL' });
const method = string({ pattern: /^[a-z][a-z0-9_]*$/, message: 'a snake_case method such as "password"' });

export const cartItem = object({
  sku: text,
  variant_id: text,
  product_id: text,
  name: text,
  /** The variant's label shown to shoppers ("150 ml"); optional, for shops whose products have one variant. */
  variant_name: optional(text),
  quantity,
  price: money,
  image_url: absoluteUrl,
  product_url: absoluteUrl,
});
// plan-payload.ts's CartItem (what the browser's builders produce) is exactly the plan's cart line.
const cartItemMatches: [Value<typeof cartItem>, CartItem] extends [CartItem, Value<typeof cartItem>] ? true : never =
  true;
void cartItemMatches;

const lineChange = object({ sku: text, variant_id: text, quantity });

const cart = {
  items: array(cartItem),
  cart_value: money,
  item_count: count,
  currency,
  /**
   * A link that rebuilds this cart on any device, minted by the shop's server: only its mirror of a cart event
   * carries it (the browser cannot sign one), and the server's copy is the one the pipeline keeps.
   */
  restore_url: optional(absoluteUrl),
} as const;

/**
 * The `cart` person attribute (identify trait) the shop's server sets whenever it sees a known shopper's cart:
 * the cart block with its restore link, or null once the cart is empty or ordered. A segment-triggered campaign
 * has no event to read, so a cart recovery email reads the cart from here (`customer.cart`).
 */
export const cartAttribute = object({ ...cart, restore_url: absoluteUrl });
export type CartAttribute = Value<typeof cartAttribute>;

/** Every event's properties (`schema_version` is added to each by PLAN_EVENTS below). */
const EVENTS = {
  'Product Viewed': {
    product_id: text,
    sku: text,
    variant_id: text,
    name: text,
    variant_name: optional(text),
    category: text,
    price: money,
    currency,
    image_url: absoluteUrl,
    product_url: absoluteUrl,
  },
  'Collection Viewed': { collection_id: text, name: text, item_count: count },
  // The words as searched (trimmed) and how many products they found: 0 is the interesting case.
  'Products Searched': { query: text, result_count: count },
  'Added to Cart': { added: lineChange, ...cart },
  'Removed from Cart': { removed: lineChange, ...cart },
  'Cart Restored': { restore_token_id: optional(text), ...cart },
  'Quiz Started': { quiz_id: text },
  'Quiz Completed': {
    quiz_id: text,
    answers: record(union(string(), array(string()))),
    result: text,
    recommended_skus: array(text),
  },
  /**
   * "Send me my routine" on a quiz result (sent by the shop's server only): the result and its products as the
   * catalogue has them (one of each, as "Add the whole routine to cart" adds), for the email that sends the routine.
   */
  'Quiz Routine Requested': {
    quiz_id: text,
    result: text,
    result_name: text,
    result_url: absoluteUrl,
    items: array(cartItem, { min: 1 }),
    currency,
  },
  'Email Captured': { source: oneOf(['popup', 'quiz', 'checkout', 'footer']) },
  // shipping_country is optional in the plan (a sender may not know a country yet); this shop sends the one its
  // checkout opened with (README.md, "What two of them mean precisely"). When present it is an ISO 3166-1 alpha-2 code.
  'Checkout Started': {
    ...cart,
    items: array(cartItem, { min: 1 }),
    shipping_country: optional(string({ pattern: /^[A-Z]{2}$/, message: 'an ISO 3166-1 alpha-2 code such as "US"' })),
  },
  'Order Completed': {
    order_id: text,
    items: array(cartItem, { min: 1 }),
    /** Merchandise (items' price × quantity) before the discount; total = subtotal − discount + shipping + tax. */
    subtotal: money,
    shipping: money,
    tax: money,
    total: money,
    currency,
    /** The discount code applied, per the Segment e-commerce spec; only on orders that used one. */
    coupon: optional(text),
    /** The amount the coupon took off (major units), with `coupon`. */
    discount: optional(money),
  },
  'Signed Up': { method },
  'Logged In': { method },
  'Logged Out': { method },
} as const satisfies Record<string, Shape>;

type Events = typeof EVENTS;
export type EventName = keyof Events;
const schemaVersion = literal(SCHEMA_VERSION);
type WithVersion<S> = { schema_version: typeof schemaVersion } & S;

/** One message per planned event: `event` names it, `properties` is what `track(name, properties)` sends. */
export type TrackEvent = {
  [N in EventName]: { event: N; properties: Props<WithVersion<Events[N]>> };
}[EventName];
/** Properties a caller passes for event N: `schema_version` is stamped by the library. */
export type EventProps<N extends EventName> = Props<Events[N]>;

/** Each event's property shape, `schema_version` included: what a track call's properties are checked against. */
export const PLAN_EVENTS = Object.fromEntries(
  Object.entries(EVENTS).map(([name, shape]) => [name, { schema_version: schemaVersion, ...shape }]),
) as { [N in EventName]: WithVersion<Events[N]> };

export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}

/** `page` calls: the page name travels as message.name; properties carry path (plus SDK-added keys). */
export const PAGE_PROPERTIES = { schema_version: schemaVersion, path: string({ startsWith: '/' }) } as const;
