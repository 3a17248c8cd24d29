import 'server-only';
import type { DB } from '@/lib/db';
import { lockEventWriters } from '@/lib/db/dialect';
import { commitSealedLater } from '@/lib/db/wal-sync';
import { withLease } from '@/lib/db/leases';
import { composeElsewhere } from './message-composer';
import { chunks } from '@/lib/cdp/store/profile-loader';
import {
  cappedStart,
  countWindows,
  loadWindowedProfiles,
  MAX_TRACKS_PER_PROFILE,
  scanNewEvents,
  type NewEvents,
  type ProfileKind,
} from '@/lib/cdp/store/journey-loader';
import { builtInJourneys } from '@/lib/cdp/engine/journeys/builtins';
import { stepJourneys } from '@/lib/cdp/engine/journeys/step';
import { journeyWindows, windowStart } from '@/lib/cdp/engine/journeys/window';
import type { CartStrategy, JourneyDefinition } from '@/lib/cdp/engine/journeys/schema';
import type { JourneyRun } from '@/lib/cdp/engine/journeys/types';
import { clearTouches, lastTouch, profilesDue } from '@/lib/cdp/store/journey-due';
import { loadRunsOf, rekeyRuns, runsMovedAway, saveMessages, saveRuns } from '@/lib/cdp/store/journey-runs';
import { processState } from '@/lib/common/process-state';

export type JourneyPassOptions = { now: Date; liveCartStrategy: CartStrategy; appUrl: string };
export type JourneyPassResult = { processed: number; sent: number; cursor: number };

/** Anonymous profiles only enter cart recovery: that is where the strategies differ on anonymous carts. */
const cartJourneys = builtInJourneys.filter((j) => j.group === 'cart-recovery');
const passes: { kind: ProfileKind; journeys: readonly JourneyDefinition[] }[] = [
  { kind: 'person', journeys: builtInJourneys },
  { kind: 'anonymous', journeys: cartJourneys },
];

/**
 * A pass works in slices so it never holds the event loop (pages, ingest and the console keep answering) nor
 * memory for everyone at once: at most this many profiles, and this many event rows, per slice, with a
 * macrotask yield between slices. Each slice's runs and messages are stored in one transaction (idempotent, so a
 * pass stopped halfway is simply redone); the cursor moves once every slice is stored.
 */
const SLICE_PROFILES = 400;
const SLICE_ROWS = 2_000;

// One pass at a time per process (the minute tick and POST /api/ops/journeys/run may coincide); on globalThis
// because route handlers and instrumentation are separate bundles. Across instances, the `journey-pass` lease.
const state = processState<{
  __journeyPass: Promise<unknown>;
  __journeyStop: AbortController;
  __journeyLease: AbortSignal;
}>({
  __journeyPass: null,
  __journeyStop: null,
  __journeyLease: null,
});
const stopper = (state.__journeyStop ??= new AbortController());

/** Stops passes in flight at their next slice, and any later pass, for good: the process is shutting down. */
export const stopJourneyPasses = () => stopper.abort(new Error('journey passes stopped: the server is shutting down'));

/** Also stops at a slice when the pass in flight lost its `journey-pass` lease (withLease: another holder redoes it). */
async function nextSlice(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  stopper.signal.throwIfAborted();
  state.__journeyLease?.throwIfAborted();
}

type SliceContext = JourneyPassOptions & { db: DB; kind: ProfileKind; journeys: readonly JourneyDefinition[] };
/**
 * `stored`: the last group's store, which waits for its messages to be composed (on another thread: see
 * message-composer.ts) while this thread loads and steps the next group. Never rejects unhandled (see `store`).
 */
type Pass = { horizonSeq: number; fresh: NewEvents; stored: Promise<void>; processed: number; sent: number };

/**
 * Stores a group's changed runs and rendered messages in one transaction once they are composed, after the group
 * before it. Sealed by the cursor's commit at the end of the pass (a pass stopped before it is redone): no fsync.
 */
function store(ctx: SliceContext, pass: Pass, composing: ReturnType<typeof composeElsewhere>): Promise<void> {
  // Both are awaited (the next group, or the end of the pass, awaits `stored`); meanwhile a failure is not unhandled.
  composing.catch(() => undefined);
  const stored = pass.stored.then(async () => {
    const { messages, runs } = await composing;
    // Composed while this thread went on, so possibly after the pass lost its lease: the new holder redoes the
    // group, and this pass must not store beside it (leases.ts). A pass stopped by a shutdown still stores it.
    state.__journeyLease?.throwIfAborted();
    if (runs.length || messages.length)
      await commitSealedLater(ctx.db, (conn) =>
        conn.transaction().execute(async (trx) => {
          await saveRuns(trx, runs, ctx.now);
          await saveMessages(trx, messages);
        }),
      );
    pass.processed += runs.length;
    pass.sent += messages.length;
  });
  stored.catch(() => undefined);
  return stored;
}

/** Each profile's window (engine/journeys/window.ts), capped to its latest MAX_TRACKS_PER_PROFILE relevant tracks. */
async function windowsOf(ctx: SliceContext, ids: string[], runs: JourneyRun[], { fresh }: Pass) {
  const windows = journeyWindows(ctx.journeys);
  const starts = fresh[ctx.kind];
  const byProfile = new Map<string, JourneyRun[]>();
  for (const r of runs) {
    const own = byProfile.get(r.profileId);
    if (own) own.push(r);
    else byProfile.set(r.profileId, [r]);
  }
  const out: { id: string; from: string }[] = [];
  for (const id of ids) {
    const s = starts.get(id);
    const lows = [
      s?.track ? Date.parse(s.track) - windows.triggerLookbackMs : Infinity,
      s?.identify ? Date.parse(s.identify) - windows.identifyLookbackMs : Infinity,
    ];
    const low = Math.min(...lows);
    const from = windowStart(Number.isFinite(low) ? new Date(low) : null, byProfile.get(id) ?? [], ctx.journeys);
    if (from) out.push({ id, from: from.toISOString() });
  }
  const counts = out.length ? await countWindows(ctx.db, ctx.kind, out, windows) : new Map<string, number>();
  for (const w of out) {
    if ((counts.get(w.id) ?? 0) <= MAX_TRACKS_PER_PROFILE) continue;
    w.from = await cappedStart(ctx.db, ctx.kind, w, windows);
    counts.set(w.id, MAX_TRACKS_PER_PROFILE);
  }
  return { windows, list: out, counts };
}

async function passSlice(ctx: SliceContext, ids: string[], pass: Pass): Promise<void> {
  const runs = await loadRunsOf(ctx.db, ids);
  const movedAway = await runsMovedAway(ctx.db, runs);
  const { windows, list, counts } = await windowsOf(ctx, ids, runs, pass);
  // Sub-slices by rows: a few heavy profiles, or many light ones, per load.
  const groups: (typeof list)[] = [[]];
  let rows = 0;
  for (const w of list) {
    const n = counts.get(w.id) ?? 0;
    if (groups.at(-1)!.length && rows + n > SLICE_ROWS) {
      groups.push([]);
      rows = 0;
    }
    groups.at(-1)!.push(w);
    rows += n;
  }
  for (const group of groups) {
    if (!group.length) continue;
    await nextSlice();
    const profiles = await loadWindowedProfiles(ctx.db, ctx.kind, group, windows);
    await nextSlice();
    const own = new Set(group.map((w) => w.id));
    const { runsToUpsert, messages: intents } = stepJourneys({
      journeys: ctx.journeys,
      liveCartStrategy: ctx.liveCartStrategy,
      profiles,
      runs: runs.filter((r) => own.has(r.profileId)),
      now: ctx.now,
      horizonSeq: pass.horizonSeq,
      movedAway,
    });
    // Rendered before the transaction (templates read files), on the composing thread while this one goes on.
    // Chained (and its failure handled) before waiting for the group before it: if that store fails, or the thread
    // fails with both groups' emails in it, this group's composing must not reject unhandled.
    const previous = pass.stored;
    pass.stored = store(ctx, pass, composeElsewhere(intents, runsToUpsert, { appUrl: ctx.appUrl }));
    // At most two groups in flight: this one composing, the one before it storing.
    await previous;
  }
}

async function pass(db: DB, options: JourneyPassOptions): Promise<JourneyPassResult> {
  stopper.signal.throwIfAborted();
  const journeyState = await db.selectFrom('journey_state').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  // Read under the event writers' lock: every seq up to `top`, and every touch up to `touched`, is then committed
  // (see lockEventWriters; touches are written in the ingest's transaction).
  const { top, touched } = await db.transaction().execute(async (trx) => {
    await lockEventWriters(trx, 'exclusive');
    const row = await trx
      .selectFrom('cdp_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return { top: row?.seq, touched: await lastTouch(trx) };
  });
  const cursor = Math.max(journeyState.cursor_seq, Number(top ?? 0));

  await rekeyRuns(db);
  const fresh = await scanNewEvents(db, { cursor: journeyState.cursor_seq, top: cursor, now: options.now }, nextSlice);
  // An event received after `now` (read before the pass began: the minute tick runs the purges first) is not in the
  // history at `now`. Its trigger is judged, with its whole lookback, only by the pass that first sees it
  // (entries.ts), so the cursor stops before it and the next pass reads it as new again.
  const stored = fresh.receivedAfter === null ? cursor : Math.max(journeyState.cursor_seq, fresh.receivedAfter - 1);
  // Runs in flight move only with new events, a change to their profile's events or their time (journey-due.ts).
  const inFlight = await profilesDue(db, options.now, touched);
  const changed: Record<ProfileKind, string[]> = {
    person: [...new Set([...fresh.person.keys(), ...inFlight.filter((r) => r.person).map((r) => r.id)])],
    anonymous: [...new Set([...fresh.anonymous.keys(), ...inFlight.filter((r) => !r.person).map((r) => r.id)])],
  };
  const at: Pass = { horizonSeq: journeyState.horizon_seq, fresh, stored: Promise.resolve(), processed: 0, sent: 0 };
  try {
    for (const { kind, journeys } of passes) {
      for (const ids of chunks(changed[kind], SLICE_PROFILES)) {
        await nextSlice();
        await passSlice({ ...options, db, kind, journeys }, ids, at);
      }
    }
  } finally {
    // A pass stopped between groups still finishes storing the group it composed before it gives up its lease.
    await at.stored.catch(() => undefined);
  }
  await at.stored;
  const { processed, sent } = at;
  state.__journeyLease?.throwIfAborted();
  await db
    .updateTable('journey_state')
    .set({ cursor_seq: stored, last_run_at: options.now.toISOString() })
    .where('id', '=', 1)
    .execute();
  await clearTouches(db, touched);
  return { processed, sent, cursor: stored };
}

/**
 * One journey pass over the pipeline: profiles with events after the cursor, or with a run in flight that is due or
 * whose events changed (journey-due.ts), are loaded with the part of their history the journeys can still act on
 * (their window), the pure engine plans and advances their runs, and each slice's changed runs and rendered live
 * messages are stored in one transaction. Running it twice at the same `now` changes nothing.
 */
export function journeyPass(db: DB, options: JourneyPassOptions): Promise<JourneyPassResult> {
  const next = (state.__journeyPass ?? Promise.resolve())
    .catch(() => undefined)
    .then(() =>
      withLease(db, 'journey-pass', (lease) => {
        // One pass at a time per process (the chain above), so one lease signal for nextSlice to check.
        state.__journeyLease = lease;
        return pass(db, options).finally(() => (state.__journeyLease = undefined));
      }),
    );
  state.__journeyPass = next;
  return next;
}
