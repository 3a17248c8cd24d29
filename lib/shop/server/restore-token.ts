import 'server-only';
import { z } from 'zod';
import { DAY } from '@/lib/common/duration';
import { sign, verifySignature } from '@/lib/common/secrets';
import { cartLineSchema, type CartLine } from '@/lib/shop/domain/cart-lines';

/**
 * Cart-restore links: `/cart/restore/{token}` rebuilds an exact cart on any device. The pipeline mints a token
 * when it renders a recovery email and the shop verifies it; both sign with APP_SECRET via lib/common/secrets.
 *
 * Token = base64url(JSON payload) "." HMAC-SHA256 of a purpose-prefixed payload (so an order-link signature
 * can never pass as a restore token). The payload is compact — lines as [sku, variantId, quantity] tuples and
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
  const payload = Buffer.from(
    JSON.stringify({ l: valid.map((l) => [l.sku, l.variantId, l.quantity]), e: expiresAt.getTime() }),
  ).toString('base64url');
  return `${payload}.${sign(PURPOSE + payload)}`;
}

export type RestoreTokenResult =
  | { ok: true; lines: RestoreLine[]; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Valid up to and including `expiresAt`; 1 ms later it is `expired`. The signature is checked before parsing. */
export function verifyRestoreToken(token: string, now: Date = new Date()): RestoreTokenResult {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload = '', signature = ''] = match;
  if (!verifySignature(PURPOSE + payload, signature)) return { ok: false, reason: 'bad_signature' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const parsed = payloadSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const expiresAt = new Date(parsed.data.e);
  if (now.getTime() > expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    lines: parsed.data.l.map(([sku, variantId, quantity]) => ({ sku, variantId, quantity })),
    expiresAt,
  };
}
