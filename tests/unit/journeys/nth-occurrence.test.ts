import { describe, expect, it } from 'vitest';
import { builtInJourneys, stepJourneys, type JourneyRun } from '@/lib/cdp/engine/journeys';
import { journeyWindows, windowStart } from '@/lib/cdp/engine/journeys/window';
import type { EngineEvent } from '@/lib/cdp/model/event';
import { at, identify, productViewed, profile } from '../support/engine-fixtures';

// Browse recovery starts on "the 2nd Product Viewed within 24 h". A journey pass judges a profile on its window
// (window.ts, journey-pass.ts), whose start follows the new events and the runs in flight: however the passes fall
// between the views, the runs must be those one pass over the whole history starts.
const browse = builtInJourneys.filter((j) => j.id === 'browse-recovery');
const { triggerLookbackMs } = journeyWindows(browse);

/** A view arriving (in list order: a late one has an earlier timestamp than views before it), or a journey pass. */
type Step = { view: Date } | { pass: Date };

/** When the views that started runs happened; `windowed`: each pass loads the tracks from the window start. */
function triggersOf(steps: Step[], windowed: boolean): string[] {
  const arrived: EngineEvent[] = [identify(at('-10d'), { email: 'ada@example.com' })];
  let fresh: EngineEvent[] = [];
  const runs = new Map<string, JourneyRun>();
  for (const step of steps) {
    if ('view' in step) {
      const view = productViewed(step.view, 'GL-SERUM-30');
      arrived.push(view);
      fresh.push(view);
      continue;
    }
    const earliest = Math.min(...fresh.map((e) => e.timestamp.getTime()));
    fresh = [];
    let ada = profile([...arrived]);
    if (windowed) {
      const newFrom = Number.isFinite(earliest) ? new Date(earliest - triggerLookbackMs) : null;
      const from = windowStart(newFrom, [...runs.values()], browse);
      // Nothing new and no run in flight: the pass leaves the profile out.
      if (!from) continue;
      // Loaded as journey-loader.ts does: every identify, the tracks from the window start on.
      ada = { ...profile(arrived.filter((e) => e.type === 'identify' || e.timestamp >= from)), tracksFrom: from };
    }
    const { runsToUpsert } = stepJourneys({
      journeys: browse,
      liveCartStrategy: 'hold',
      profiles: [ada],
      runs: [...runs.values()],
      now: step.pass,
    });
    runsToUpsert.forEach((r) => runs.set(r.id, r));
  }
  return [...runs.values()].map((r) => r.anchorAt.toISOString()).sort();
}

/** Views in time order, a pass right after those `mask` picks, then passes 2 h, 26 h and 4 d after the last. */
function inOrder(offsets: string[], mask: number): Step[] {
  const steps: Step[] = offsets.flatMap((offset, i) => {
    const view = { view: at(offset) };
    return mask & (1 << i) ? [view, { pass: at(offset) }] : [view];
  });
  const last = at(offsets.at(-1)!).getTime();
  return [...steps, ...[2, 26, 96].map((h) => ({ pass: new Date(last + h * 3_600_000) }))];
}

describe('the nth occurrence within a window, judged by passes over windows', () => {
  it.each([
    ['five views a minute apart (QA: mailed on the 2nd and the 3rd)', ['0m', '1m', '2m', '3m', '4m']],
    ['views spread over days: several windows, one run each', ['0h', '1h', '20h', '24h30m', '30h', '60h', '61h']],
  ])('starts the runs that passes over the whole history start, wherever the passes fall: %s', (_, offsets) => {
    for (let mask = 0; mask < 1 << offsets.length; mask++) {
      const steps = inOrder(offsets, mask);
      expect(triggersOf(steps, true), `passes after views ${mask.toString(2)}`).toEqual(triggersOf(steps, false));
    }
  });

  it('five views a minute apart start one run, on the 2nd view, with a pass after each view', () => {
    expect(triggersOf(inOrder(['0m', '1m', '2m', '3m', '4m'], 0b11111), true)).toEqual([at('1m').toISOString()]);
  });
});

describe('late views (an earlier timestamp, arriving after a later view)', () => {
  const cases: [string, Step[]][] = [
    // a, b: run on b; c arrives late between them: c is now the 2nd view by time, but the window had its run.
    [
      'into the window of a view that started a run',
      [{ view: at('0m') }, { view: at('30m') }, { pass: at('31m') }, { view: at('15m') }],
    ],
    // a, b: run on b; L arrives late before a: a is now the 2nd view by time.
    [
      'before the views of a window that started a run',
      [{ view: at('0m') }, { view: at('30m') }, { pass: at('31m') }, { view: at('-1h') }],
    ],
    // b alone was a 1st view; a arrives late before it: b is the 2nd view by time and starts the run.
    ['before a 1st view', [{ view: at('30m') }, { pass: at('31m') }, { view: at('0m') }]],
  ];
  it.each(cases)('%s: one run, a pass between the arrivals or not', (_, arrivals) => {
    const passes = [at('40m'), at('3h'), at('27h')].map((pass) => ({ pass }));
    // The run of the view that was the 2nd when it arrived (at 30 m); none for the late one.
    expect(triggersOf([...arrivals, ...passes], true)).toEqual([at('30m').toISOString()]);
    // One pass over all of them at once starts one run too (on the 2nd view by time).
    const together = arrivals.filter((s) => 'view' in s);
    expect(triggersOf([...together, ...passes], true)).toHaveLength(1);
  });
});
