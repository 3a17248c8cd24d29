'use client';

import { newMessageId, track } from '@/lib/tracking/browser';
import { findKnownSku, type CartLine } from './cart-store';
import { mirrorOnServer } from './mirror';
import { cartSnapshot, identifyShopper, skuLines } from './shopper';
import { recordProductView } from '@/lib/shop/actions/browsing';
import { recordCheckoutStarted } from '@/lib/shop/actions/checkout';
import { captureEmail, type EmailCaptureSource } from '@/lib/shop/actions/email-capture';
import type { Variant } from '@/lib/shop/domain/catalog';
import type { PurchasableProduct } from '@/lib/shop/domain/catalog/product-helpers';
import { cartPropsWith, productViewedProps } from '@/lib/shop/domain/plan-items';

/**
 * The shop's browser-side tracking glue. Mirrored events (Product Viewed, Quiz Completed, Checkout Started,
 * Email Captured here, the cart events in ./cart.ts) are tracked with a fresh messageId that is then handed to the server action mirroring them, so
 * the pipeline stores one event seen by both sources, and still gets it when the browser's copy is blocked.
 */

/** The origin item URLs are built with in the browser (the server uses APP_URL). */
export const browserOrigin = () => window.location.origin;

/**
 * A product page shown at `viewedAt` (epoch ms: the page noted it before this module had loaded, and the shopper may
 * have added to cart meanwhile); the server mirrors it from the catalogue.
 */
export function trackProductViewed(product: PurchasableProduct, variant: Variant, viewedAt: number): void {
  const props = productViewedProps(product, variant, browserOrigin());
  const messageId = track('Product Viewed', props, { at: viewedAt });
  mirrorOnServer((ageMs) => recordProductView({ sku: variant.sku, messageId, ageMs }), viewedAt);
}

/** Once per checkout visit with a non-empty cart; the country is the one the form ships to. */
export function trackCheckoutStarted(lines: readonly CartLine[], country: string): void {
  const shipping = /^[A-Z]{2}$/.test(country) ? { shipping_country: country } : {};
  const messageId = track('Checkout Started', { ...cartPropsWith(lines, browserOrigin(), findKnownSku), ...shipping });
  mirrorOnServer((ageMs) => recordCheckoutStarted({ lines: skuLines(lines), country, messageId, ageMs }));
}

/** Email capture from any form: the server resolves the customer and mirrors; the browser identifies, then tracks. */
export function captureEmailTracked(email: string, source: EmailCaptureSource, replaces?: string) {
  return emailCaptureTracked(source, (messageId, cart) =>
    captureEmail({ email, source, messageId, cart, ...(replaces && { replaces }) }),
  );
}

/**
 * An email capture made by `send`: captureEmail, or an action that captures and does more (requestRoutine), given
 * the messageId of Email Captured and the browser's cart. Once it answers, the browser identifies, then tracks.
 */
export async function emailCaptureTracked<
  R extends { ok: boolean; identity?: Parameters<typeof identifyShopper>[0] | null },
>(
  source: EmailCaptureSource,
  send: (messageId: string, cart: ReturnType<typeof cartSnapshot>) => Promise<R>,
): Promise<R> {
  const messageId = newMessageId();
  const result = await send(messageId, cartSnapshot());
  if (result.ok) {
    if (result.identity) identifyShopper(result.identity);
    track('Email Captured', { source }, { messageId });
  }
  return result;
}
