import { z } from 'zod';
import { shapeToZod, toZod } from './descriptor-zod';
import { cartAttribute, cartItem, EVENT_NAMES, PAGE_PROPERTIES, PLAN_EVENTS, type TrackEvent } from './plan-data';
import { checkMessage, type PlanCheck, type PlanMessage, type PropertiesValidator } from './plan-check';

export { SCHEMA_VERSION, cartPayload, toMajorUnits, type CartItem } from './plan-payload';
export {
  EVENT_NAMES,
  isEventName,
  type CartAttribute,
  type EventName,
  type EventProps,
  type TrackEvent,
} from './plan-data';
export { DRIFTED_NAMES, VIOLATION_KINDS, canonicalEventName, type PlanMessage, type Violation } from './plan-check';

/**
 * The tracking plan's zod schemas, built from the plan's data (./plan-data.ts, the one source): what the server
 * and the pipeline validate with (zod at the boundary). The browser checks the same data without zod
 * (./plan-check.ts); tests/unit/tracking/plan-agreement.test.ts proves both give the same verdicts.
 */
export const cartItemSchema = toZod(cartItem);
export const cartAttributeSchema = toZod(cartAttribute);

const propertySchemas = new Map<string, z.ZodObject>(EVENT_NAMES.map((name) => [name, shapeToZod(PLAN_EVENTS[name])]));
const pageSchema = shapeToZod(PAGE_PROPERTIES);

/** The whole plan. `event` is the discriminator; `properties` is what `track(name, properties)` sends. */
export const trackEventSchema = z.discriminatedUnion(
  'event',
  EVENT_NAMES.map((name) =>
    z.object({ event: z.literal(name), properties: propertySchemas.get(name)! }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<TrackEvent>;

/** `page` calls: the page name travels as message.name; properties carry path (plus SDK-added keys). */
export const pagePropertiesSchema = pageSchema;

const checkWithZod: PropertiesValidator = (target, properties) => {
  const result = (target === 'page' ? pageSchema : propertySchemas.get(target)!).safeParse(properties);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.map(pathKey), message: issue.message }));
};

// zod's paths are object keys and array indexes; symbols never occur in JSON.
const pathKey = (key: PropertyKey) => (typeof key === 'number' ? key : String(key));

/** Checks one message against the plan (zod). Never throws; the caller decides whether violations drop it. */
export const checkAgainstPlan = (message: PlanMessage): PlanCheck => checkMessage(message, checkWithZod);
