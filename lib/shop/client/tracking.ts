'use client';

import { identify, newMessageId, track } from '@/lib/tracking/browser';
import type { IdentifyTraits } from '@/lib/tracking/identity';
import { recordCartAdd } from '@/lib/shop/actions/cart';
import { useCart, type CartLine, type CartState } from './cart-store';
import { recordCheckoutStarted } from '@/lib/shop/actions/checkout';
import { captureEmail, type EmailCaptureSource } from '@/lib/shop/actions/email-capture';
import { cartProps } from '@/lib/shop/domain/tracking-items';

/**
 * The shop's browser-side tracking glue. Mirrored events (Added to Cart, Checkout Started, Email Captured)
 * are tracked here with a fresh messageId that is then handed to the server action mirroring them, so the
 * pipeline stores one event seen by both sources, and still gets it when the browser's copy is blocked.
 */

const origin = () => window.location.origin;
const skuLines = (lines: readonly CartLine[]) => lines.map(({ sku, quantity }) => ({ sku, quantity }));
const quantityOf = (sku: string) => useCart.getState().lines.find((l) => l.sku === sku)?.quantity ?? 0;

/** Changes the cart through `change` and tracks what really changed (the store caps quantities at 99). */
export function updateCart(sku: string, variantId: string, change: (cart: CartState) => void): void {
  const before = quantityOf(sku);
  change(useCart.getState());
  const delta = quantityOf(sku) - before;
  if (delta === 0) return;
  const lines = useCart.getState().lines;
  const cart = cartProps(lines, origin());
  if (delta < 0) {
    track('Removed from Cart', { removed: { sku, variant_id: variantId, quantity: -delta }, ...cart });
    return;
  }
  const messageId = track('Added to Cart', { added: { sku, variant_id: variantId, quantity: delta }, ...cart });
  void recordCartAdd({ lines: skuLines(lines), added: { sku, quantity: delta }, messageId }).catch(() => undefined);
}

/** Once per checkout visit with a non-empty cart; the country is the one the form ships to. */
export function trackCheckoutStarted(lines: readonly CartLine[], country: string): void {
  const shipping = /^[A-Z]{2}$/.test(country) ? { shipping_country: country } : {};
  const messageId = track('Checkout Started', { ...cartProps(lines, origin()), ...shipping });
  void recordCheckoutStarted({ lines: skuLines(lines), country, messageId }).catch(() => undefined);
}

/** After the server returned the canonical id (signup, login, order, email capture): the SDK identifies too. */
export function identifyShopper(result: { customerId: string; traits: IdentifyTraits }): void {
  identify(result.customerId, result.traits);
}

/** Email capture from any form: the server resolves the customer and mirrors; the browser identifies, then tracks. */
export async function captureEmailTracked(email: string, source: EmailCaptureSource) {
  const messageId = newMessageId();
  const result = await captureEmail({ email, source, messageId });
  if (result.ok) {
    if (result.identity) identifyShopper(result.identity);
    track('Email Captured', { source }, { messageId });
  }
  return result;
}
