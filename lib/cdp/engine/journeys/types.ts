import type { TemplateId } from '../messages/catalog';

export type { CartItem, EngineEvent, Profile } from '@/lib/cdp/model/event';

/**
 * `entered` is the state planEntries creates and stepJourneys advances in the same pass; `held` waits for an
 * email, `waiting` for the delay; `exited`, `sent` and `failed` are final.
 */
export const RUN_STATUSES = ['entered', 'held', 'waiting', 'exited', 'sent', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const finalStatuses: readonly RunStatus[] = ['exited', 'sent', 'failed'];
export const isFinal = (status: RunStatus) => finalStatuses.includes(status);

export type RunReason =
  /** No email at trigger time (event strategy) or at send time. */
  | 'no_email'
  /** The hold ran out, e.g. `no_email_within_72h`. */
  | `no_email_within_${string}`
  /** An exitOn event after the anchor (an order, or an add to cart for browse recovery). */
  | 'converted'
  /**
   * The cart was gone before the send: a cart event with no items, or the shop's server cleared the `cart`
   * attribute (null, "" or no items) and did not set it again (cart.ts `cartSpans`). An exit, not a failure.
   */
  | 'cart_emptied'
  /** Another live cart recovery already messaged this cart (the live strategy changed mid-flight). */
  | 'already_messaged'
  /**
   * The run's trigger (or the event it is about) is no longer on its profile: its anonymous id was identified as
   * someone else, who took the events stitched through it (identity rule 5), or it was deleted. `detail` says which.
   */
  | 'trigger_moved'
  /** The person's `unsubscribed` attribute is true at send time (Customer.io sends them no campaign message). */
  | 'unsubscribed'
  /** The trigger event came from a browser only; its properties may not go into a message. */
  | 'not_server_confirmed'
  /**
   * The data lacks something the template reads (e.g. a `cart` attribute the shop's server never set for this
   * cart); `detail` says what.
   */
  | 'missing_data'
  /** The template could not be rendered with the data (a Liquid error); `detail` has it. */
  | 'render_failed'
  /** The run's events cannot make a message (a quantity of 1000, an over-long SKU…): it fails alone. */
  | 'invalid_event';

export type JourneyRun = {
  /** `${journeyId}:${triggerSeq}:${profileId}` (entries.ts `runId`): a trigger starts at most one run per journey and profile. */
  id: string;
  journeyId: string;
  /** The person, or the anonymous id of a profile never identified (re-keyed to the person on identify). */
  profileId: string;
  /** The event that started the run (Added to Cart, Quiz Completed, the identify for lookback). */
  triggerSeq: number;
  /** The event the run is about: the cart's latest Added to Cart for lookback, else the trigger itself. */
  anchorSeq: number;
  anchorAt: Date;
  /** When the run started: the trigger's attach time (identify time for stitched events). */
  enteredAt: Date;
  emailAtTrigger: boolean;
  /** Shadow runs go all the way to `sent` ("would have sent") but never produce a message. */
  shadow: boolean;
  status: RunStatus;
  reason: RunReason | null;
  /** Human-readable evidence for the console (which event exited it, …). */
  detail: string | null;
  /** Hold deadline while held; send time while waiting. */
  dueAt: Date | null;
  endedAt: Date | null;
};

/**
 * The Liquid variables of a run's message, named and scoped as in Customer.io: `customer` (the person's
 * attributes as the shop's server set them, plus `id` and the `email` sent to) in every campaign; `event` (the
 * trigger's properties) only when an event triggered it, as in an event-triggered campaign.
 */
export type MessageData = {
  customer: Record<string, unknown> & { id: string; email: string };
  event?: Record<string, unknown>;
};

/** What a live run asks to send; runtime/compose-message.ts turns it into rendered subject, HTML and text. */
export type MessageIntent = {
  /** The run id: an outbox keyed on it stores each message once. */
  id: string;
  runId: string;
  journeyId: string;
  personId: string;
  to: string;
  templateId: TemplateId;
  scheduledAt: Date;
  createdAt: Date;
  data: MessageData;
};
