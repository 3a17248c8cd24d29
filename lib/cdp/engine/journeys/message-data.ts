import { parseDuration } from '@/lib/common/duration';
import type { EngineEvent, Profile } from '@/lib/cdp/model/event';
import { historyAt, traitsAt, tracksNamed } from '@/lib/cdp/engine/subject';
import { cartOf } from './cart';
import type { JourneyDefinition } from './schema';
import type { JourneyRun, MessageData, ViewedProduct } from './types';

const MAX_VIEWED_PRODUCTS = 4;

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Event properties as `event.*`; items gain a `variant` label (null when the event carries none). */
function eventVariables(e: EngineEvent): Record<string, unknown> {
  const { items, ...rest } = e.properties;
  if (!Array.isArray(items)) return rest;
  const withVariant = items.map((item: Record<string, unknown>) => ({
    ...item,
    variant: text(item.variant) ?? text(item.variant_name),
  }));
  return { ...rest, items: withVariant };
}

/** Distinct products viewed from the start of the trigger's window until the send, most recent first. */
function viewedProducts(history: EngineEvent[], anchor: EngineEvent, journey: JourneyDefinition): ViewedProduct[] {
  const window =
    journey.trigger.kind === 'event' && journey.trigger.occurrence ? journey.trigger.occurrence.within : '24h';
  const from = anchor.timestamp.getTime() - parseDuration(window);
  const seen = new Set<string>();
  const products: ViewedProduct[] = [];
  for (const e of tracksNamed(history, anchor.name ?? '').reverse()) {
    if (e.timestamp.getTime() < from) continue;
    const p = e.properties;
    const key = text(p.product_id) ?? text(p.sku) ?? text(p.name);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    products.push({
      product_id: text(p.product_id),
      name: text(p.name) ?? 'A product you viewed',
      price: num(p.price),
      currency: text(p.currency),
      image_url: text(p.image_url),
      product_url: text(p.product_url),
    });
  }
  return products.slice(0, MAX_VIEWED_PRODUCTS);
}

/**
 * The Liquid variables for a run's message at send time. Cart recovery uses the cart's latest contents (the
 * shopper may have added more after the trigger), not the trigger event's snapshot.
 */
export function buildMessageData(
  journey: JourneyDefinition,
  run: JourneyRun,
  profile: Profile,
  now: Date,
  to: string,
): MessageData {
  const history = historyAt(profile, { now });
  const anchor = history.find((e) => e.seq === run.anchorSeq);
  if (!anchor)
    throw new Error(`Run ${run.id}: anchor event #${run.anchorSeq} is not in ${profile.profileId}'s history`);
  const source = journey.group === 'cart-recovery' ? (cartOf(history, anchor.seq)?.events.at(-1) ?? anchor) : anchor;
  const traits = traitsAt(profile, now);
  const data: MessageData = {
    customer: { ...traits, id: profile.profileId, email: to, first_name: text(traits.first_name) },
    event: eventVariables(source),
    event_name: source.name ?? '',
  };
  if (journey.group === 'browse-recovery') data.viewed_products = viewedProducts(history, anchor, journey);
  return data;
}
