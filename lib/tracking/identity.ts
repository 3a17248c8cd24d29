import { z } from 'zod';
import { emailSchema } from './email-schema';
import { CANONICAL_CUSTOMER_ID } from './identity-guard';
import { logError } from './log';
import { cartAttributeSchema } from './plan';

export * from './identity-guard';

export const customerIdSchema = z.string().regex(CANONICAL_CUSTOMER_ID, 'a canonical customer id (cus_…)');

/**
 * Traits sent with identify (person attributes in Customer.io). Non-strict: a shop may add its own.
 * `unsubscribed` is Customer.io's reserved attribute: true stops campaign messages to the person.
 */
export const identifyTraitsSchema = z.object({
  email: emailSchema().optional(),
  first_name: z.string().trim().min(1).optional(),
  phone: z.string().min(3).optional(),
  acquisition_source: z.string().min(1).optional(),
  first_seen_at: z.iso.datetime({ offset: true }).optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  cart: cartAttributeSchema.nullable().optional(),
  unsubscribed: z.boolean().optional(),
});
export type IdentifyTraits = z.input<typeof identifyTraitsSchema> & Record<string, unknown>;

/** Traits are checked like events: strict mode throws, production logs and the identify is skipped. */
export function enforceTraits(traits: unknown, strict: boolean): boolean {
  const parsed = identifyTraitsSchema.safeParse(traits);
  if (parsed.success) return true;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const message = `identify traits are invalid: ${problems.join('; ')}`;
  if (strict) throw new Error(message);
  logError(message);
  return false;
}
