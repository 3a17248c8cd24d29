import { parseDuration } from '@/lib/common/duration';
import { EVENT } from '@/lib/cdp/model/event';
import { TRIGGER_MAX_AGE } from '@/lib/cdp/model/windows';
import type { JourneyDefinition } from './schema';
import { isFinal, type JourneyRun } from './types';

/**
 * The incremental model (README "Incremental passes"): a pass judges a changed profile on the part of its
 * history the journeys can still act on, not on all of it. What that part is follows from the definitions:
 * - only the tracks some journey reads (triggers, exits, lookbacks, cart-bearing events), plus every identify
 *   (emails and traits are rebuilt from them);
 * - a new track can only start a run together with events up to `triggerLookbackMs` before it (the nth view in
 *   24 h, the add within 4 h of an identify, the same routine asked for in the last 24 h);
 * - a new identify can also attach anonymous events that still trigger: up to 72 h old when stitched, plus
 *   their own lookback;
 * - a run in flight needs its history from its anchor on (exits, the cart closing, the trigger's data), and the
 *   latest run of each cart journey marks the cart that "one run per cart" compares new adds with.
 */
export type JourneyWindows = {
  /** Track names (canonical) any journey reads. */
  names: string[];
  /** How far before a new track the triggers look. */
  triggerLookbackMs: number;
  /** How far before a new identify: the stitched events it may have attached, and their lookback. */
  identifyLookbackMs: number;
};

const CART_NAMES = [EVENT.addedToCart, EVENT.removedFromCart, EVENT.checkoutStarted, EVENT.orderCompleted];

export function journeyWindows(journeys: readonly JourneyDefinition[]): JourneyWindows {
  const names = new Set<string>();
  let triggerLookbackMs = 0;
  for (const j of journeys) {
    if (j.trigger.kind === 'event') names.add(j.trigger.event);
    if (j.trigger.kind === 'event')
      for (const rule of [j.trigger.occurrence, j.trigger.once])
        if (rule) triggerLookbackMs = Math.max(triggerLookbackMs, parseDuration(rule.within));
    if (j.lookback) {
      names.add(j.lookback.event).add(j.lookback.unless);
      triggerLookbackMs = Math.max(triggerLookbackMs, parseDuration(j.lookback.within));
    }
    j.exitOn.forEach((n) => names.add(n));
    if (j.group === 'cart-recovery') CART_NAMES.forEach((n) => names.add(n));
  }
  return {
    names: [...names].sort(),
    triggerLookbackMs,
    identifyLookbackMs: parseDuration(TRIGGER_MAX_AGE) + triggerLookbackMs,
  };
}

/**
 * Where a profile's window starts: `newFrom` (the earliest new event's own lookback, null when nothing new),
 * moved back to the anchor of every run in flight and of the latest run of each cart journey. Null: nothing
 * to judge.
 */
export function windowStart(
  newFrom: Date | null,
  runs: readonly JourneyRun[],
  journeys: readonly JourneyDefinition[],
): Date | null {
  const cartJourneys = new Set(journeys.filter((j) => j.group === 'cart-recovery').map((j) => j.id));
  const latestCart = new Map<string, JourneyRun>();
  let from = newFrom?.getTime() ?? Infinity;
  for (const run of runs) {
    if (!isFinal(run.status)) from = Math.min(from, run.anchorAt.getTime());
    if (!cartJourneys.has(run.journeyId)) continue;
    const latest = latestCart.get(run.journeyId);
    if (!latest || run.anchorSeq > latest.anchorSeq) latestCart.set(run.journeyId, run);
  }
  if (from === Infinity) return null;
  for (const run of latestCart.values()) from = Math.min(from, run.anchorAt.getTime());
  return new Date(from);
}
