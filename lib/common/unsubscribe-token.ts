import 'server-only';
import { z } from 'zod';
import { decodeParam } from './http';
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

/**
 * The HTTP status of an unsubscribe link's page (lib/shop/server/link-pages.ts): 404 for one that never was a link
 * (forged, cut short), null (200) for a valid one. Never 410: these links do not expire.
 */
export const unsubscribeLinkStatus = (token: string): Promise<404 | null> =>
  Promise.resolve(verifyUnsubscribeToken(decodeParam(token)).ok ? null : 404);
