import { z } from 'zod';
import { EMAIL_PATTERN } from './email';

/**
 * The one email schema (identify traits, the shop's forms, the pipeline's lead ids): zod's `z.email` with the
 * Unicode-aware pattern of ./email.ts instead of zod's default ASCII-only one. Validates as given: forms
 * normalize first (lib/shop/domain/fields.ts), traits are normalized where they are stored.
 */
export const emailSchema = (error?: string) => z.email({ pattern: EMAIL_PATTERN, ...(error ? { error } : {}) });
