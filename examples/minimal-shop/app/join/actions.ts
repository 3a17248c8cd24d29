'use server';

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { serverTracker } from '@/lib/server-tracker';

const joinSchema = z.object({ email: z.email() });

export type JoinResult =
  { ok: true; customerId: string; traits: { email: string } } | { ok: false; error: string } | null;

/**
 * The shopper becomes known: the server mints the canonical id and identifies with the request's anonymous id
 * cookie; the browser identifies with what this returns. A real shop finds or creates the customer row here.
 */
export async function joinNewsletter(_previous: JoinResult, form: FormData): Promise<JoinResult> {
  const parsed = joinSchema.safeParse({ email: form.get('email') });
  if (!parsed.success) return { ok: false, error: 'Enter an email address such as name@example.com.' };
  const customerId = `cus_${randomBytes(16).toString('base64url')}`;
  const traits = { email: parsed.data.email.toLowerCase() };
  await serverTracker().identifyServer(customerId, traits);
  return { ok: true, customerId, traits };
}
