import { issuesOf } from './descriptor-check';
import { boolean, nullable, object, optional, string, type Value } from './descriptors';
import { logError } from './log';
import { cartAttribute } from './plan-data';

/**
 * An ISO 8601 date-time with seconds and a `Z` or ±hh:mm offset: zod 4's `z.iso.datetime({ offset: true })`
 * pattern, as data so the browser checks it without zod (identity.ts's schema uses this same pattern).
 */
export const ISO_DATETIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;
const datetime = string({ pattern: ISO_DATETIME, message: 'an ISO 8601 date-time with an offset' });

/**
 * Traits sent with identify (person attributes in Customer.io), as data (./descriptors.ts): identity.ts builds
 * the zod schema from it, the browser checks it without zod. Non-strict: a shop may add its own.
 * `unsubscribed` is Customer.io's reserved attribute: true stops campaign messages to the person.
 */
export const IDENTIFY_TRAITS = object({
  email: optional(string({ format: 'email' })),
  first_name: optional(string({ trim: true, min: 1 })),
  phone: optional(string({ min: 3 })),
  acquisition_source: optional(string({ min: 1 })),
  first_seen_at: optional(datetime),
  created_at: optional(datetime),
  cart: optional(nullable(cartAttribute)),
  unsubscribed: optional(boolean()),
});
export type IdentifyTraits = Value<typeof IDENTIFY_TRAITS> & Record<string, unknown>;

/** Traits are checked like events: strict mode throws, production logs and the identify is skipped. */
export function enforceTraits(traits: unknown, strict: boolean): boolean {
  const issues = issuesOf(IDENTIFY_TRAITS, traits);
  if (issues.length === 0) return true;
  const problems = issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const message = `identify traits are invalid: ${problems.join('; ')}`;
  if (strict) throw new Error(message);
  logError(message);
  return false;
}
