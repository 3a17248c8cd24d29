import { issuesOf, type Issue } from './descriptor-check';
import type { Shape } from './descriptors';
import { EVENT_NAMES, PAGE_PROPERTIES, PLAN_EVENTS, isEventName, type EventName } from './plan-data';

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
  return (
    (Object.hasOwn(DRIFTED_NAMES, name) ? DRIFTED_NAMES[name] : undefined) ?? bySquashedName.get(squash(name)) ?? null
  );
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
export type PlanCheck = { canonicalName: string | null; violations: Violation[] };

/** What a validator reports for a message's properties: the property shape it is checked against, which it names. */
export type PropertiesValidator = (target: EventName | 'page', properties: unknown) => Issue[];

/**
 * Checks one message against the plan with `validate` for the properties: the browser's zod-free checker
 * (`checkAgainstPlanData` below) or the server's zod schemas (plan.ts's `checkAgainstPlan`). Never throws; the
 * caller decides whether violations drop it.
 */
export function checkMessage(message: PlanMessage, validate: PropertiesValidator): PlanCheck {
  if (message.type === 'track') return checkTrack(message.event, message.properties, validate);
  if (message.type === 'page')
    return { canonicalName: null, violations: checkProperties('page', message.properties, validate) };
  // identify, screen, group, alias: nothing event-specific in the plan.
  return { canonicalName: null, violations: [] };
}

function checkTrack(name: string | undefined, properties: unknown, validate: PropertiesValidator): PlanCheck {
  if (typeof name !== 'string' || name.trim() === '') {
    return {
      canonicalName: null,
      violations: [{ kind: 'unknown_event', message: 'track call without an event name' }],
    };
  }
  const canonicalName = canonicalEventName(name);
  if (canonicalName === null) {
    return { canonicalName, violations: [{ kind: 'unknown_event', message: `"${name}" is not in the tracking plan` }] };
  }
  if (canonicalName !== name) {
    // Properties of a drifted event follow some other convention; checking them would only add noise.
    const drift: Violation = { kind: 'drifted_name', message: `"${name}" should be sent as "${canonicalName}"` };
    return { canonicalName, violations: [drift] };
  }
  return { canonicalName, violations: checkProperties(canonicalName, properties, validate) };
}

function checkProperties(target: EventName | 'page', properties: unknown, validate: PropertiesValidator): Violation[] {
  const props = properties ?? {};
  return validate(target, props).map((issue) => toViolation(issue, props));
}

function toViolation(issue: Issue, root: unknown): Violation {
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

/** The property shape a track call of `target` (or a page call) is checked against. */
export const shapeOf = (target: EventName | 'page'): Shape =>
  target === 'page' ? PAGE_PROPERTIES : PLAN_EVENTS[target];

const checkWithData: PropertiesValidator = (target, properties) =>
  issuesOf({ kind: 'object', shape: shapeOf(target) }, properties);

/**
 * The browser's plan check: the same verdicts, violation kinds and paths as plan.ts's `checkAgainstPlan` (zod),
 * from the same data, without zod in the page.
 */
export const checkAgainstPlanData = (message: PlanMessage): PlanCheck => checkMessage(message, checkWithData);
