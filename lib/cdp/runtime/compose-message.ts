import 'server-only';
import { createUnsubscribeToken } from '@/lib/common/unsubscribe-token';
import type { JourneyRun, MessageIntent } from '@/lib/cdp/engine/journeys/types';
import { guardRenderedLinks, keepShopLinks } from '@/lib/cdp/engine/messages/links';
import { renderMessage, type ComposedMessage } from '@/lib/cdp/engine/messages/render';

export type ComposeOptions = { appUrl: string };

/**
 * The cart's restore link as the shop's server put it in the `cart` attribute (shown beside the email), when the
 * email carries it: a browse or quiz email of a shopper with a cart has none to show.
 */
function restoreUrlOf(data: MessageIntent['data'], text: string): string | null {
  const cart = data.customer.cart as { restore_url?: unknown } | null | undefined;
  return typeof cart?.restore_url === 'string' && text.includes(cart.restore_url) ? cart.restore_url : null;
}

/**
 * Turns a journey's message intent into the email the outbox stores. Everything shown comes from the intent's
 * data (the events and traits the shop sent); this adds only what Customer.io adds itself: the workspace snippet
 * `shop_url` (APP_URL, the pipeline's own configuration) and the recipient's `{% unsubscribe_url %}`, a signed
 * link to the shop's `/unsubscribe/{token}` page. Links that are not http(s) on the shop's origin are replaced by
 * the shop's URL, in the data and again in the rendered message. Throws when the template cannot be rendered.
 */
export function composeMessage(intent: MessageIntent, { appUrl }: ComposeOptions): ComposedMessage {
  const data = keepShopLinks(intent.data, appUrl);
  const unsubscribeUrl = `${appUrl}/unsubscribe/${createUnsubscribeToken(intent.personId)}`;
  const rendered = renderMessage(intent.templateId, { ...data, snippets: { shop_url: appUrl } }, { unsubscribeUrl });
  const { id, runId, journeyId, personId, to, templateId, scheduledAt, createdAt } = intent;
  const guarded = guardRenderedLinks(rendered, appUrl);
  return {
    id,
    runId,
    journeyId,
    personId,
    to,
    templateId,
    scheduledAt,
    createdAt,
    restoreUrl: restoreUrlOf(data, guarded.text),
    ...guarded,
  };
}

/** A slice's messages, and why each one that could not be rendered failed (by run id). */
export type ComposedSlice = { messages: ComposedMessage[]; failed: [runId: string, why: string][] };

/** Composes every message of a slice; one that cannot be rendered is reported in `failed`, not thrown. */
export function composeAll(intents: readonly MessageIntent[], options: ComposeOptions): ComposedSlice {
  const messages: ComposedMessage[] = [];
  const failed: ComposedSlice['failed'] = [];
  for (const intent of intents) {
    try {
      messages.push(composeMessage(intent, options));
    } catch (err) {
      failed.push([intent.runId, err instanceof Error ? err.message : String(err)]);
    }
  }
  return { messages, failed };
}

/**
 * A message that cannot be rendered fails its own run (`render_failed`, with the Liquid error), as Customer.io
 * fails a message it cannot render; the other runs are unaffected.
 */
export function failUnrendered(runs: readonly JourneyRun[], failed: ComposedSlice['failed']): JourneyRun[] {
  if (!failed.length) return [...runs];
  const why = new Map(failed);
  return runs.map((run) => {
    const detail = why.get(run.id);
    return detail === undefined ? run : { ...run, status: 'failed', reason: 'render_failed', detail, dueAt: null };
  });
}

/** Composes every message of a slice in this thread (see message-composer.ts) and fails the runs of those that failed. */
export function composeMessages(
  intents: readonly MessageIntent[],
  runs: readonly JourneyRun[],
  options: ComposeOptions,
): { messages: ComposedMessage[]; runs: JourneyRun[] } {
  const { messages, failed } = composeAll(intents, options);
  return { messages, runs: failUnrendered(runs, failed) };
}
