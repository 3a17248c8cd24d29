import 'server-only';
import { findVariantBySku } from '@/lib/shop/domain/catalog';
import { createRestoreToken, RESTORE_TOKEN_TTL_MS, type RestoreLine } from '@/lib/shop/server/restore-token';
import type { MessageIntent } from '@/lib/cdp/engine/journeys/types';
import { renderMessage, type ComposedMessage } from '@/lib/cdp/engine/messages/render';

/** The cart lines of `event.items`, skipping anything that can't be rebuilt. */
function restoreLines(items: unknown): RestoreLine[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((item: Record<string, unknown>) => {
    const { sku, variant_id: variantId, quantity } = item;
    return typeof sku === 'string' && typeof variantId === 'string' && typeof quantity === 'number' && quantity > 0
      ? [{ sku, variantId, quantity }]
      : [];
  });
}

/** Events may carry `/products/x` paths; an email needs absolute links. */
const absolute = (appUrl: string, url: unknown) =>
  typeof url === 'string' && url.startsWith('/') ? `${appUrl}${url}` : url;

function withAbsoluteUrls<T extends Record<string, unknown>>(appUrl: string, entries: unknown): T[] | undefined {
  if (!Array.isArray(entries)) return undefined;
  return entries.map((e: T) => ({
    ...e,
    image_url: absolute(appUrl, e.image_url),
    product_url: absolute(appUrl, e.product_url),
  }));
}

/** Events carry no variant label; the email shows one, looked up by SKU (e.g. "150 ml"). */
const withVariantLabels = (items: Record<string, unknown>[] | undefined) =>
  items?.map((i) => ({
    ...i,
    variant: i.variant ?? (typeof i.sku === 'string' ? (findVariantBySku(i.sku)?.variant.name ?? null) : null),
  }));

/**
 * Turns a journey's message intent into the email to store in the outbox: mints the restore token (carts only),
 * makes links absolute and renders subject, HTML and text. `now` is the pipeline clock, so tokens expire
 * relative to the demo's time too.
 */
export function composeMessage(intent: MessageIntent, { appUrl, now }: { appUrl: string; now: Date }): ComposedMessage {
  const lines = intent.templateId === 'cart-recovery' ? restoreLines(intent.data.event.items) : [];
  const expiresAt = new Date(now.getTime() + RESTORE_TOKEN_TTL_MS);
  const restoreUrl = lines.length ? `${appUrl}/cart/restore/${createRestoreToken({ lines, expiresAt })}` : null;
  const items = withVariantLabels(withAbsoluteUrls(appUrl, intent.data.event.items));
  const rendered = renderMessage(intent.templateId, {
    ...intent.data,
    event: items ? { ...intent.data.event, items } : intent.data.event,
    viewed_products: withAbsoluteUrls(appUrl, intent.data.viewed_products),
    restore_url: restoreUrl,
    shop_url: appUrl,
  });
  const { id, runId, journeyId, personId, to, templateId, scheduledAt, createdAt } = intent;
  return { id, runId, journeyId, personId, to, templateId, scheduledAt, createdAt, restoreUrl, ...rendered };
}
