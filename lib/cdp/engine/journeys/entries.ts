import { parseDuration } from '@/lib/common/duration';
import type { EngineEvent, Profile } from '@/lib/cdp/model/event';
import { tooOldToTrigger } from '@/lib/cdp/model/windows';
import { byTime, emailAt, emailAtEvent, entryTime, historyAt, tracksNamed } from '@/lib/cdp/engine/subject';
import { evaluateCondition } from '../segments/evaluate';
import { performedWithoutSince } from '../segments/builders';
import { cartOf } from './cart';
import type { JourneyDefinition } from './schema';
import type { JourneyRun } from './types';

/** `emailAtTrigger` is asked only of a trigger that starts a run: most triggers a pass sees already have one. */
type Trigger = { triggerSeq: number; anchor: EngineEvent; enteredAt: Date; emailAtTrigger: () => boolean };

const latest = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

/**
 * "The `nth` event of its name within `within`" is judged on the events of that window ending at each event, with two
 * rules that make it start one run per window however a pass's loads interleave with the events:
 * - only where the profile holds the whole window: a pass that loaded its tracks from a run's anchor (a due run,
 *   nothing new) would count the views in the 24 h after that anchor as 1st and 2nd views. Each event is judged,
 *   window and all, by the pass that first sees it (window.ts: a new track's window starts `within` before it);
 * - a late event (an earlier timestamp, arrived after a later one) starts nothing when a run already started on an
 *   event up to `within` after it: that window had its run, on the event that was the nth when it arrived.
 * "Once per `per` value within `within`" (one routine email per result a day) is judged the same way, on the events
 * with the same value: one starts a run unless an earlier one started a run in the `within` before it.
 */
function eventTriggers(
  journey: JourneyDefinition,
  profile: Profile,
  history: EngineEvent[],
  runs: readonly JourneyRun[],
): Trigger[] {
  if (journey.trigger.kind !== 'event') return [];
  const { event, occurrence, once } = journey.trigger;
  const named = tracksNamed(history, event);
  const rule = occurrence ?? once;
  const within = rule ? parseDuration(rule.within) : 0;
  const judgedFrom = profile.tracksFrom ? profile.tracksFrom.getTime() + within : -Infinity;
  const started = new Set(rule ? runs.map((r) => r.triggerSeq) : []);
  const alike = (a: EngineEvent, b: EngineEvent) => !once || a.properties[once.per] === b.properties[once.per];
  const startedUpTo = (index: number, until: number) => {
    for (let i = index + 1; i < named.length && named[i]!.timestamp.getTime() <= until; i++)
      if (started.has(named[i]!.seq) && alike(named[i]!, named[index]!)) return true;
    return false;
  };
  // `named` is in time order, so the window ending at each event starts at an index that only moves forward.
  let first = 0;
  return named.flatMap((e, index) => {
    // Events inherited through a merge count as history but never trigger (as in Customer.io).
    if (tooOldToTrigger(e) || e.inherited) return [];
    const at = e.timestamp.getTime();
    // Both rules judge an event on the `within` before it (and a late one on the runs after it), as above.
    if (rule && (at < judgedFrom || startedUpTo(index, at + within))) return [];
    // The `nth` occurrence: the events of this name in the window ending at `e`, `e` included.
    if (occurrence) {
      while (named[first]!.timestamp.getTime() < at - within) first++;
      if (index + 1 - first !== occurrence.nth) return [];
    }
    // Once per value: not when an earlier event with the same value started a run in the window. Started runs, not
    // events: a request left out for an earlier one does not hold back the next day's.
    if (once) {
      for (let i = index - 1; i >= 0 && named[i]!.timestamp.getTime() >= at - within; i--)
        if (started.has(named[i]!.seq) && alike(named[i]!, e)) return [];
      started.add(e.seq);
    }
    const counted = occurrence ? named.slice(first, index + 1) : [e];
    // The trigger became true when the last of its events became the person's.
    const enteredAt = latest(counted.map(entryTime));
    return [{ triggerSeq: e.seq, anchor: e, enteredAt, emailAtTrigger: () => Boolean(emailAtEvent(profile, e)) }];
  });
}

const LOOKBACK_ID = 'lookback';

function identifyTriggers(journey: JourneyDefinition, profile: Profile, history: EngineEvent[], now: Date): Trigger[] {
  const { lookback } = journey;
  if (journey.trigger.kind !== 'identify' || !lookback) return [];
  const condition = {
    kind: 'all' as const,
    conditions: performedWithoutSince(
      { id: LOOKBACK_ID, event: lookback.event, within: lookback.within },
      lookback.unless,
    ),
  };
  // Neither an inherited identify nor an inherited cart (moved here by a merge) starts a lookback run.
  const own = { ...profile, events: profile.events.filter((e) => !(e.inherited && e.name === lookback.event)) };
  return history
    .filter((e) => e.type === 'identify' && !e.inherited)
    .flatMap((identify) => {
      const at = entryTime(identify);
      // Window ends at the identify; attachments are read as of now, so anonymous events stitched in the
      // minutes after the identify (the pipeline's 5-minute rule) are found on a later pass.
      const evaluation = evaluateCondition(condition, own, { now: at, visibleAt: now });
      const anchor = evaluation.passed ? evaluation.anchors.get(LOOKBACK_ID) : undefined;
      if (!anchor) return [];
      return [{ triggerSeq: identify.seq, anchor, enteredAt: at, emailAtTrigger: () => Boolean(emailAt(profile, at)) }];
    });
}

/**
 * The anchor of the journey's latest run still on this profile. A cart trigger before it is about an older cart,
 * which closed before that run's cart opened, and was judged when it arrived. Judged again on a pass's window that
 * starts inside that older cart (window.ts loads the latest run's anchor, not older ones), the cart's first adds
 * and its run are missing, so its later adds look like a cart of their own: each cart journey started a second run
 * for it, which ended `converted` or `cart_emptied` without a message but counted in the reports all the same.
 */
function newestCartRun(history: EngineEvent[], runs: readonly JourneyRun[]): EngineEvent | undefined {
  let newest: EngineEvent | undefined;
  for (const r of runs) {
    const anchor = cartOf(history, r.anchorSeq)?.events.find((e) => e.seq === r.anchorSeq);
    if (anchor && (!newest || byTime(anchor, newest) > 0)) newest = anchor;
  }
  return newest;
}

export type PlanOptions = { shadow?: boolean };

/**
 * A run's id: its journey, trigger and the profile it started on. The profile is part of it because a trigger can
 * change hands (an anonymous id identified as someone else takes its events along, identity rule 5): the new
 * owner's run must not take over the first owner's row, which ends `trigger_moved`. Runs keep their id when they
 * follow their profile into a person; `planEntries` finds a profile's runs by trigger seq, never by id, so ids from
 * before the profile was part of them (`${journeyId}:${triggerSeq}`) still count.
 */
export const runId = (journeyId: string, triggerSeq: number, profileId: string) =>
  `${journeyId}:${triggerSeq}:${profileId}`;

/**
 * New runs to create for this journey and profile at `now`. Idempotent: a trigger seq starts at most one run
 * per journey (the run id is derived from it), and a cart recovery journey starts at most one run per cart.
 * `existingRuns` must include the journey's runs that could share those keys (all of this person's runs, and
 * runs of anonymous profiles merged into them).
 */
export function planEntries(
  journey: JourneyDefinition,
  profile: Profile,
  now: Date,
  existingRuns: readonly JourneyRun[],
  { shadow = false }: PlanOptions = {},
): JourneyRun[] {
  const history = historyAt(profile, { now });
  const runs = existingRuns.filter((r) => r.journeyId === journey.id);
  const triggers =
    journey.trigger.kind === 'identify'
      ? identifyTriggers(journey, profile, history, now)
      : eventTriggers(journey, profile, history, runs);
  // Sets, not scans: a long history has many triggers and runs, and each is checked against all of them.
  const takenSeqs = new Set(runs.map((r) => r.triggerSeq));
  const isCart = journey.group === 'cart-recovery';
  const cartsTaken = new Set(isCart ? runs.map((r) => cartOf(history, r.anchorSeq)) : []);
  const newest = isCart ? newestCartRun(history, runs) : undefined;
  const created: JourneyRun[] = [];
  for (const t of triggers) {
    if (takenSeqs.has(t.triggerSeq)) continue;
    const cart = isCart ? cartOf(history, t.anchor.seq) : undefined;
    if (cart && cartsTaken.has(cart)) continue;
    if (newest && byTime(t.anchor, newest) < 0) continue;
    takenSeqs.add(t.triggerSeq);
    if (cart) cartsTaken.add(cart);
    created.push({
      id: runId(journey.id, t.triggerSeq, profile.profileId),
      journeyId: journey.id,
      profileId: profile.profileId,
      triggerSeq: t.triggerSeq,
      anchorSeq: t.anchor.seq,
      anchorAt: t.anchor.timestamp,
      enteredAt: t.enteredAt,
      emailAtTrigger: t.emailAtTrigger(),
      shadow,
      status: 'entered',
      reason: null,
      detail: null,
      dueAt: null,
      endedAt: null,
    });
  }
  return created;
}
