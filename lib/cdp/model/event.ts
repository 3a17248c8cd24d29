import type { CartItem as PlanCartItem, EventName } from '@/lib/tracking/plan';
import type { MessageType } from './message';

/**
 * The plain data the segment and journey engines work on. store/profile-loader.ts builds it from the pipeline's
 * tables; the engines never touch the database, so they are deterministic for a given `now`.
 */

export type EngineEvent = {
  /** Monotonic ingest order (the events table's `seq`); unique across the pipeline. */
  seq: number;
  type: MessageType;
  /** Canonical event name for `track` (after drift mapping); null for identify. */
  name: string | null;
  /** When it happened (skew-corrected). Segment windows are measured on this. */
  timestamp: Date;
  /**
   * When it became this person's: the identify that stitched it, the receive time of one sent with a userId, the
   * merge for an inherited one; null on an anonymous profile (and where it arrived when it happened).
   */
  attachedAt: Date | null;
  /** Happened on an anonymous profile and was attached to the person later. */
  stitched: boolean;
  /**
   * The shop's server sent or mirrored it (model/stored-event.ts `isServerConfirmed`). Only such events and
   * identifies may put names, prices, links or an address into a message: the browser's write key is public.
   */
  serverConfirmed: boolean;
  /** Moved here from another person by a merge: part of the history, never a journey trigger. */
  inherited?: boolean;
  /** Track properties; for identify, the traits sent with it. */
  properties: Record<string, unknown>;
};

/** A person, or an anonymous id nobody has claimed yet, with the events the engines judge them by. */
export type Profile = {
  /** Canonical customer id (`cus_…`) for a person; the anonymous id for a profile never identified. */
  profileId: string;
  /** Current email; the engines reconstruct what was known at an earlier time from identify events. */
  email: string | null;
  traits: Record<string, unknown>;
  /** All of the person's events, stitched ones included. Any order; the engines sort by (timestamp, seq). */
  events: EngineEvent[];
  /**
   * Set when only the tracks from this time on were loaded (a journey pass's window, store/journey-loader.ts;
   * identifies are always all there): nothing that reads older tracks may be judged on this profile. Unset: all.
   */
  tracksFrom?: Date;
};

/**
 * Event names the built-in segments and journeys use. `satisfies` ties each to the tracking plan's union, so a
 * renamed or removed event fails the type check here instead of silently never matching.
 */
export const EVENT = {
  productViewed: 'Product Viewed',
  addedToCart: 'Added to Cart',
  removedFromCart: 'Removed from Cart',
  checkoutStarted: 'Checkout Started',
  orderCompleted: 'Order Completed',
  quizCompleted: 'Quiz Completed',
  quizRoutineRequested: 'Quiz Routine Requested',
} as const satisfies Record<string, EventName>;

/**
 * A cart line inside a cart-bearing event (`items`): the tracking plan's item. The plan is checked, not enforced
 * (violations are stored, never rejected), so only `sku` and `quantity` are relied on being there.
 */
export type CartItem = Pick<PlanCartItem, 'sku' | 'quantity'> & Partial<Omit<PlanCartItem, 'sku' | 'quantity'>>;
