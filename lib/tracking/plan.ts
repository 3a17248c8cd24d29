import { z } from 'zod';
import { SCHEMA_VERSION, type CartItem } from './plan-payload';

export { SCHEMA_VERSION, cartPayload, toMajorUnits, type CartItem } from './plan-payload';

/**
 * The tracking plan (v1): every event name and its properties, in ONE discriminated union.
 * Names are Title Case "Object Action"; properties are snake_case; money is a decimal number in
 * major units plus `currency`. Objects are non-strict (unknown keys are ignored, never violations),
 * because the SDKs add keys of their own (url, referrer, title…).
 */
const schemaVersion = z.literal(SCHEMA_VERSION);
const text = z.string().trim().min(1);
const money = z.number().finite().nonnegative();
const count = z.number().int().nonnegative();
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "USD"');
// Absolute, so a recovery email can link and show images without knowing the shop's origin.
const absoluteUrl = z.string().regex(/^https?:\/\/\S+$/, 'an absolute http(s) URL');

export const cartItemSchema = z.object({
  sku: text,
  variant_id: text,
  product_id: text,
  name: text,
  /** The variant's label shown to shoppers ("150 ml"); optional, for shops whose products have one variant. */
  variant_name: text.optional(),
  quantity: z.number().int().positive(),
  price: money,
  image_url: absoluteUrl,
  product_url: absoluteUrl,
}) satisfies z.ZodType<CartItem>;

const lineChange = z.object({ sku: text, variant_id: text, quantity: z.number().int().positive() });

const cart = {
  items: z.array(cartItemSchema),
  cart_value: money,
  item_count: count,
  currency,
  /**
   * A link that rebuilds this cart on any device, minted by the shop's server: only its mirror of a cart event
   * carries it (the browser cannot sign one), and the server's copy is the one the pipeline keeps.
   */
  restore_url: absoluteUrl.optional(),
};

/**
 * The `cart` person attribute (identify trait) the shop's server sets whenever it sees a known shopper's cart:
 * the cart block with its restore link, or null once the cart is empty or ordered. A segment-triggered campaign
 * has no event to read, so a cart recovery email reads the cart from here (`customer.cart`).
 */
export const cartAttributeSchema = z.object({ ...cart, restore_url: absoluteUrl });
export type CartAttribute = z.infer<typeof cartAttributeSchema>;

const method = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a snake_case method such as "password"');

const event = <N extends string, S extends z.ZodRawShape>(name: N, shape: S) =>
  z.object({
    event: z.literal(name),
    properties: z.object({ schema_version: schemaVersion, ...shape }),
  });

/** The whole plan. `event` is the discriminator; `properties` is what `track(name, properties)` sends. */
export const trackEventSchema = z.discriminatedUnion('event', [
  event('Product Viewed', {
    product_id: text,
    sku: text,
    variant_id: text,
    name: text,
    variant_name: text.optional(),
    category: text,
    price: money,
    currency,
    image_url: absoluteUrl,
    product_url: absoluteUrl,
  }),
  event('Collection Viewed', { collection_id: text, name: text, item_count: count }),
  // The words as searched (trimmed) and how many products they found: 0 is the interesting case.
  event('Products Searched', { query: text, result_count: count }),
  event('Added to Cart', { added: lineChange, ...cart }),
  event('Removed from Cart', { removed: lineChange, ...cart }),
  event('Cart Restored', { restore_token_id: text.optional(), ...cart }),
  event('Quiz Started', { quiz_id: text }),
  event('Quiz Completed', {
    quiz_id: text,
    answers: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    result: text,
    recommended_skus: z.array(text),
  }),
  event('Email Captured', { source: z.enum(['popup', 'quiz', 'checkout', 'footer']) }),
  // shipping_country is optional: Checkout Started fires when the checkout page opens, before the
  // shopper has picked a country. When present it is an ISO 3166-1 alpha-2 code.
  event('Checkout Started', {
    ...cart,
    items: z.array(cartItemSchema).min(1),
    shipping_country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "US"')
      .optional(),
  }),
  event('Order Completed', {
    order_id: text,
    items: z.array(cartItemSchema).min(1),
    subtotal: money,
    shipping: money,
    tax: money,
    total: money,
    currency,
    /** The discount code applied, per the Segment e-commerce spec; only on orders that used one. */
    coupon: text.optional(),
    /** The amount the coupon took off (major units), with `coupon`. */
    discount: money.optional(),
  }),
  event('Signed Up', { method }),
  event('Logged In', { method }),
  event('Logged Out', { method }),
]);

export type TrackEvent = z.infer<typeof trackEventSchema>;
export type EventName = TrackEvent['event'];
/** Properties a caller passes for event N: `schema_version` is stamped by the library. */
export type EventProps<N extends EventName> = Omit<
  Extract<z.input<typeof trackEventSchema>, { event: N }>['properties'],
  'schema_version'
>;

const propertySchemas = new Map<string, z.ZodObject>(
  trackEventSchema.options.map((o) => [o.shape.event.value, o.shape.properties]),
);
export const EVENT_NAMES = [...propertySchemas.keys()] as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && propertySchemas.has(name);
}

/** `page` calls: the page name travels as message.name; properties carry path (plus SDK-added keys). */
export const pagePropertiesSchema = z.object({
  schema_version: schemaVersion,
  path: z.string().startsWith('/'),
});

/** Common names other tools or hand-written code use, mapped to the plan's name so drift is reported. */
export const DRIFTED_NAMES: Record<string, EventName> = {
  add_to_cart: 'Added to Cart',
  'Add to Cart': 'Added to Cart',
  'Product Added': 'Added to Cart',
  product_added: 'Added to Cart',
  remove_from_cart: 'Removed from Cart',
  'Product Removed': 'Removed from Cart',
  product_removed: 'Removed from Cart',
  view_item: 'Product Viewed',
  product_viewed: 'Product Viewed',
  view_item_list: 'Collection Viewed',
  'Product List Viewed': 'Collection Viewed',
  product_list_viewed: 'Collection Viewed',
  search: 'Products Searched',
  'Product Searched': 'Products Searched',
  view_search_results: 'Products Searched',
  begin_checkout: 'Checkout Started',
  checkout_started: 'Checkout Started',
  purchase: 'Order Completed',
  order_completed: 'Order Completed',
  sign_up: 'Signed Up',
  signup: 'Signed Up',
  login: 'Logged In',
  logout: 'Logged Out',
  generate_lead: 'Email Captured',
  email_captured: 'Email Captured',
};

// "added to cart", "AddedToCart", "ADDED-TO-CART" are drift too: compare names without case/separators.
const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const bySquashedName = new Map<string, EventName>([
  ...Object.entries(DRIFTED_NAMES).map(([k, v]) => [squash(k), v] as const),
  ...EVENT_NAMES.map((n) => [squash(n), n] as const),
]);

/** The plan's name for `name`, whether exact or drifted; null when the plan has nothing like it. */
export function canonicalEventName(name: string): EventName | null {
  if (isEventName(name)) return name;
  return DRIFTED_NAMES[name] ?? bySquashedName.get(squash(name)) ?? null;
}

export const VIOLATION_KINDS = [
  'unknown_event',
  'drifted_name',
  'missing_property',
  'invalid_property',
  'missing_schema_version',
] as const;

export type Violation = {
  kind: (typeof VIOLATION_KINDS)[number];
  path?: string;
  message: string;
};

export type PlanMessage = { type: string; event?: string; name?: string; properties?: unknown };

/** Checks one message against the plan. Never throws; the caller decides whether violations drop it. */
export function checkAgainstPlan(message: PlanMessage): { canonicalName: string | null; violations: Violation[] } {
  if (message.type === 'track') return checkTrack(message.event, message.properties);
  if (message.type === 'page')
    return { canonicalName: null, violations: checkProperties(pagePropertiesSchema, message.properties) };
  // identify, screen, group, alias: nothing event-specific in the plan.
  return { canonicalName: null, violations: [] };
}

function checkTrack(name: string | undefined, properties: unknown) {
  if (typeof name !== 'string' || name.trim() === '') {
    return {
      canonicalName: null,
      violations: [{ kind: 'unknown_event', message: 'track call without an event name' } satisfies Violation],
    };
  }
  const canonicalName = canonicalEventName(name);
  if (canonicalName === null) {
    return {
      canonicalName,
      violations: [{ kind: 'unknown_event', message: `"${name}" is not in the tracking plan` } satisfies Violation],
    };
  }
  if (canonicalName !== name) {
    // Properties of a drifted event follow some other convention; checking them would only add noise.
    const drift: Violation = { kind: 'drifted_name', message: `"${name}" should be sent as "${canonicalName}"` };
    return { canonicalName, violations: [drift] };
  }
  return { canonicalName, violations: checkProperties(propertySchemas.get(name)!, properties) };
}

function checkProperties(schema: z.ZodObject, properties: unknown): Violation[] {
  const props = properties ?? {};
  const result = schema.safeParse(props);
  if (result.success) return [];
  return result.error.issues.map((issue) => toViolation(issue, props));
}

function toViolation(issue: z.core.$ZodIssue, root: unknown): Violation {
  const path = issue.path.map(String);
  const where = path.length ? `properties.${path.join('.')}` : 'properties';
  if (path[0] === 'schema_version' && valueAt(root, issue.path) === undefined) {
    return { kind: 'missing_schema_version', path: where, message: 'schema_version is missing' };
  }
  if (path.length && valueAt(root, issue.path) === undefined) {
    return { kind: 'missing_property', path: where, message: `${where} is required` };
  }
  return { kind: 'invalid_property', path: where, message: `${where}: ${issue.message}` };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
