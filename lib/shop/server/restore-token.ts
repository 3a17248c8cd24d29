import 'server-only';
import { z } from 'zod';
import { DAY } from '@/lib/common/duration';
import { decodeParam } from '@/lib/common/http';
import { readToken, signToken } from '@/lib/common/signed-token';
import { cartLineSchema } from '@/lib/shop/domain/cart-line-schema';
import { findVariantBySku } from '@/lib/shop/domain/catalog';
import { shopNow } from './shop-clock';
import type { CartLine } from '@/lib/shop/domain/cart-lines';

/**
 * Cart-restore links: `/cart/restore/{token}` rebuilds an exact cart on any device. Only the shop's server mints
 * them (`restoreUrl`), and sends them as `restore_url` on the cart events it mirrors and in the `cart` person
 * attribute, so a recovery email (here or in Customer.io) prints the link it was given; the shop verifies it.
 *
 * Token = lib/common/signed-token under its own purpose (so an order-link signature can never pass as a restore
 * token), signed with APP_SECRET. The payload is compact — lines as [sku, variantId, quantity] tuples and
 * the expiry in epoch ms — because it travels in a URL. It carries SKUs and quantities only: prices are
 * recomputed from the catalog when the cart is rebuilt. Default lifetime 7 days, long enough for a recovery
 * email read a few days late, short enough that old links die.
 */
export const RESTORE_TOKEN_TTL_MS = 7 * DAY;
const PURPOSE = 'cart-restore.v1:';
const MAX_LINES = 50;

/** A restore link carries cart lines exactly as the cart stores them (and checks them the same way). */
export type RestoreLine = CartLine;
const { sku, variantId, quantity } = cartLineSchema.shape;

const payloadSchema = z.object({
  l: z
    .array(z.tuple([sku, variantId, quantity]))
    .min(1)
    .max(MAX_LINES),
  e: z.number().int().positive(),
});

export function createRestoreToken({
  lines,
  expiresAt = new Date(Date.now() + RESTORE_TOKEN_TTL_MS),
}: {
  lines: RestoreLine[];
  expiresAt?: Date;
}): string {
  const valid = z.array(cartLineSchema).min(1).max(MAX_LINES).parse(lines);
  return signToken(PURPOSE, { l: valid.map((l) => [l.sku, l.variantId, l.quantity]), e: expiresAt.getTime() });
}

/** The absolute restore link for these lines, valid RESTORE_TOKEN_TTL_MS from `now`. */
export const restoreUrl = (appUrl: string, lines: RestoreLine[], now = new Date()) =>
  `${appUrl}/cart/restore/${createRestoreToken({ lines, expiresAt: new Date(now.getTime() + RESTORE_TOKEN_TTL_MS) })}`;

export type RestoreTokenResult =
  | { ok: true; lines: RestoreLine[]; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Valid up to and including `expiresAt`; 1 ms later it is `expired`. The signature is checked before parsing. */
export function verifyRestoreToken(token: string, now: Date = new Date()): RestoreTokenResult {
  const read = readToken(PURPOSE, token);
  if (!read.ok) return read;
  const parsed = payloadSchema.safeParse(read.payload);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const expiresAt = new Date(parsed.data.e);
  if (now.getTime() > expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    lines: parsed.data.l.map(([sku, variantId, quantity]) => ({ sku, variantId, quantity })),
    expiresAt,
  };
}

/** Products discontinued since the link was minted are left out rather than failing the whole cart. */
export const stillSold = (lines: readonly RestoreLine[]) => lines.filter((l) => findVariantBySku(l.sku));

/**
 * What Cart Restored names the link by: the start of its signature (the token is `payload.signature`). Not the
 * payload's start, which every cart shares (base64 of `{"l":[["GL-`); the signature is no secret beyond the link,
 * which the page call of /cart/restore/… carries whole.
 */
export const restoreTokenId = (token: string) => token.split('.')[1]?.slice(0, 16) ?? '';

/**
 * The HTTP status of a restore link's page (link-pages.ts): 410 Gone for an expired link, which will never work
 * again, 404 for one that never was a link, null (200) for a valid one. The page itself says which, and leads back
 * to the shop.
 */
export async function restoreLinkStatus(token: string): Promise<404 | 410 | null> {
  const result = verifyRestoreToken(decodeParam(token), await shopNow());
  if (result.ok) return null;
  return result.reason === 'expired' ? 410 : 404;
}
