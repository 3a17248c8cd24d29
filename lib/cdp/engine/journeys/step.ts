import type { Profile } from '@/lib/cdp/model/event';
import { historyAt } from '@/lib/cdp/engine/subject';
import { advanceRun, failInvalid, type AdvanceResult } from './advance';
import { inSameCart } from './cart';
import { planEntries } from './entries';
import type { CartStrategy, JourneyDefinition } from './schema';
import { isFinal, type JourneyRun, type MessageIntent } from './types';

/** Cart recovery journeys other than the live strategy run in shadow: counted, never sent. */
export const isShadow = (journey: JourneyDefinition, liveCartStrategy: CartStrategy) =>
  journey.group === 'cart-recovery' && journey.strategy !== liveCartStrategy;

export type StepJourneysInput = {
  journeys: readonly JourneyDefinition[];
  liveCartStrategy: CartStrategy;
  /** Everyone who may enter or has a run in flight (runs of absent people are left as they are). */
  profiles: readonly Profile[];
  /** Existing runs (at least those of these profiles); read-only. */
  runs: readonly JourneyRun[];
  now: Date;
  /**
   * Triggers with a seq at or below this never start a run: the events stored before journeys were installed
   * (a first pass over old data must not mail stale carts). Default 0: every trigger counts.
   */
  horizonSeq?: number;
  /** Runs in flight whose trigger or anchor event is no longer on their profile, by run id: why (they exit). */
  movedAway?: ReadonlyMap<string, string>;
};

export type StepJourneysResult = {
  /** New runs and runs whose state changed; nothing when called again at the same `now`. */
  runsToUpsert: JourneyRun[];
  /** Live sends only, each keyed by its run id. */
  messages: MessageIntent[];
};

const time = (d: Date | null) => d?.getTime() ?? null;
/** Field by field (JSON.stringify of every run in flight was a tenth of a large pass). */
const sameRun = (a: JourneyRun, b: JourneyRun) =>
  a.status === b.status &&
  a.reason === b.reason &&
  a.detail === b.detail &&
  time(a.dueAt) === time(b.dueAt) &&
  time(a.endedAt) === time(b.endedAt) &&
  a.profileId === b.profileId &&
  a.anchorSeq === b.anchorSeq &&
  a.emailAtTrigger === b.emailAtTrigger &&
  a.shadow === b.shadow &&
  time(a.enteredAt) === time(b.enteredAt) &&
  time(a.anchorAt) === time(b.anchorAt);

/**
 * One pass of the journey engine: plan entries for every profile and journey, then advance every run in
 * flight. Idempotent: run ids derive from trigger seqs, final runs never change, and a second pass at the
 * same `now` finds nothing new to create or move. The caller stores `runsToUpsert` and `messages` in one
 * transaction so a crash cannot send without recording the run, or the reverse.
 */
export function stepJourneys({
  journeys,
  liveCartStrategy,
  profiles,
  runs,
  now,
  horizonSeq = 0,
  movedAway,
}: StepJourneysInput): StepJourneysResult {
  const byId = new Map(runs.map((r) => [r.id, r]));
  // Runs by profile: a run only ever concerns its own profile's history (runs follow their profile through
  // stitching and merges before a pass), and scanning everyone's runs per profile made a pass quadratic.
  const byProfile = new Map<string, Map<string, JourneyRun>>();
  const index = (run: JourneyRun) => {
    const own = byProfile.get(run.profileId) ?? new Map<string, JourneyRun>();
    byProfile.set(run.profileId, own.set(run.id, run));
  };
  runs.forEach(index);
  const runsOf = (profileId: string) => [...(byProfile.get(profileId)?.values() ?? [])];
  const changed = new Map<string, JourneyRun>();
  const put = (run: JourneyRun) => {
    byId.set(run.id, run);
    index(run);
    changed.set(run.id, run);
  };

  for (const profile of profiles) {
    for (const journey of journeys) {
      const existing: JourneyRun[] = [];
      for (const r of byProfile.get(profile.profileId)?.values() ?? [])
        if (r.journeyId === journey.id) existing.push(r);
      planEntries(journey, profile, now, existing, { shadow: isShadow(journey, liveCartStrategy) })
        .filter((run) => run.triggerSeq > horizonSeq)
        .forEach(put);
    }
  }

  const profilesById = new Map(profiles.map((s) => [s.profileId, s]));
  const journeysById = new Map(journeys.map((j) => [j.id, j]));
  const messages: MessageIntent[] = [];
  for (const run of [...byId.values()]) {
    const profile = profilesById.get(run.profileId);
    const journey = journeysById.get(run.journeyId);
    if (isFinal(run.status) || !profile || !journey) continue;
    const alreadyMessaged =
      journey.group === 'cart-recovery' && cartMessaged(run, profile, runsOf(profile.profileId), journeysById, now);
    let advanced: AdvanceResult;
    try {
      advanced = advanceRun(journey, run, profile, now, { alreadyMessaged, movedAway: movedAway?.get(run.id) });
    } catch (error) {
      // One run's bad data must not stop the pass for everyone else.
      advanced = { run: failInvalid(run, now, error instanceof Error ? error.message : String(error)) };
    }
    const { run: next, message } = advanced;
    if (!sameRun(next, run)) put(next);
    if (message) messages.push(message);
  }
  return { runsToUpsert: [...changed.values()], messages };
}

/** "At most one recovery message per cart", across cart journeys, should the live strategy change mid-flight. */
function cartMessaged(
  run: JourneyRun,
  profile: Profile,
  runs: readonly JourneyRun[],
  journeys: Map<string, JourneyDefinition>,
  now: Date,
): boolean {
  const history = historyAt(profile, { now });
  return runs.some(
    (other) =>
      other.id !== run.id &&
      other.status === 'sent' &&
      !other.shadow &&
      journeys.get(other.journeyId)?.group === 'cart-recovery' &&
      inSameCart(history, other.anchorSeq, run.anchorSeq),
  );
}
