import 'server-only';
import { z } from 'zod';
import { readToken, signToken } from './signed-token';

/**
 * Unsubscribe links: `/unsubscribe/{token}` on the shop. The pipeline mints the token when it renders an email
 * (what Customer.io's `{% unsubscribe_url %}` does there) and the shop's page verifies it, then records the
 * unsubscription with a server identify. The token names the person (`{ p: personId }`) and does not expire:
 * an unsubscribe link has to keep working for as long as the email may be read.
 */
const PURPOSE = 'unsubscribe.v1:';
const payloadSchema = z.object({ p: z.string().min(1).max(200) });

export function createUnsubscribeToken(personId: string): string {
  return signToken(PURPOSE, payloadSchema.parse({ p: personId }));
}

export type UnsubscribeTokenResult =
  { ok: true; personId: string } | { ok: false; reason: 'malformed' | 'bad_signature' };

export function verifyUnsubscribeToken(token: string): UnsubscribeTokenResult {
  const read = readToken(PURPOSE, token);
  if (!read.ok) return read;
  const parsed = payloadSchema.safeParse(read.payload);
  return parsed.success ? { ok: true, personId: parsed.data.p } : { ok: false, reason: 'malformed' };
}
