import { z } from 'zod';
import { toZod } from './descriptor-zod';
import { CANONICAL_CUSTOMER_ID } from './identity-guard';
import { IDENTIFY_TRAITS } from './traits';

export * from './identity-guard';
export { enforceTraits, type IdentifyTraits } from './traits';

export const customerIdSchema = z.string().regex(CANONICAL_CUSTOMER_ID, 'a canonical customer id (cus_…)');

/**
 * Traits sent with identify, as zod (server side), built from ./traits.ts's data: the browser checks the same
 * data without zod (`enforceTraits`).
 */
export const identifyTraitsSchema = toZod(IDENTIFY_TRAITS);
