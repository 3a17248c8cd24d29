import 'server-only';
import type { DB } from '@/lib/db';
import { lockEventWriters } from '@/lib/db/dialect';
import { withLease } from '@/lib/db/leases';
import { composeMessage } from './compose-message';
import { composeOrFail } from './compose-or-fail';
import { loadAnonymousProfiles, loadPersonProfiles } from '@/lib/cdp/store/profile-loader';
import { builtInJourneys } from '@/lib/cdp/engine/journeys/builtins';
import { stepJourneys, type StepJourneysResult } from '@/lib/cdp/engine/journeys/step';
import type { CartStrategy } from '@/lib/cdp/engine/journeys/schema';
import { loadRunsOf, profilesInFlight, rekeyRuns, saveMessages, saveRuns } from '@/lib/cdp/store/journey-runs';

export type JourneyPassOptions = { now: Date; liveCartStrategy: CartStrategy; appUrl: string };
export type JourneyPassResult = { processed: number; sent: number; cursor: number };

/** Anonymous profiles only enter cart recovery: that is where the strategies differ on anonymous carts. */
const cartJourneys = builtInJourneys.filter((j) => j.group === 'cart-recovery');

// One pass at a time per process (the minute tick and POST /api/ops/journeys/run may coincide); on globalThis
// because route handlers and instrumentation are separate bundles. Across instances, the `journey-pass` lease.
const state = globalThis as typeof globalThis & { __journeyPass?: Promise<unknown> };

async function changedProfiles(db: DB, cursor: number) {
  const [people, anonymous, inFlight, known] = await Promise.all([
    db
      .selectFrom('cdp_events')
      .select('person_id')
      .distinct()
      .where('seq', '>', cursor)
      .where('person_id', 'is not', null)
      .execute(),
    db
      .selectFrom('cdp_events')
      .select('anonymous_id')
      .distinct()
      .where('seq', '>', cursor)
      .where('person_id', 'is', null)
      .where('anonymous_id', 'is not', null)
      // A linked id's late events wait for its next identify; only never-identified profiles enter as themselves.
      .where('anonymous_id', 'not in', db.selectFrom('cdp_identities').select('anonymous_id'))
      .execute(),
    profilesInFlight(db),
    db.selectFrom('cdp_people').select('id').execute(),
  ]);
  const isPerson = new Set(known.map((p) => p.id));
  return {
    personIds: [...new Set([...people.map((r) => r.person_id!), ...inFlight.filter((id) => isPerson.has(id))])],
    anonymousIds: [
      ...new Set([...anonymous.map((r) => r.anonymous_id!), ...inFlight.filter((id) => !isPerson.has(id))]),
    ],
  };
}

async function pass(db: DB, { now, liveCartStrategy, appUrl }: JourneyPassOptions): Promise<JourneyPassResult> {
  const journeyState = await db.selectFrom('journey_state').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  // Read under the event writers' lock: every seq up to `top` is then committed (see lockEventWriters).
  const top = await db.transaction().execute(async (trx) => {
    await lockEventWriters(trx, 'exclusive');
    return trx
      .selectFrom('cdp_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
  });
  const cursor = Math.max(journeyState.cursor_seq, Number(top?.seq ?? 0));

  await rekeyRuns(db);
  const { personIds, anonymousIds } = await changedProfiles(db, journeyState.cursor_seq);
  const [people, anonymous, runs] = await Promise.all([
    loadPersonProfiles(db, personIds),
    loadAnonymousProfiles(db, anonymousIds),
    loadRunsOf(db, [...personIds, ...anonymousIds]),
  ]);
  const common = { liveCartStrategy, runs, now, horizonSeq: journeyState.horizon_seq };
  const results: StepJourneysResult[] = [
    stepJourneys({ ...common, journeys: builtInJourneys, profiles: people }),
    stepJourneys({ ...common, journeys: cartJourneys, profiles: anonymous }),
  ];
  // Rendered before the transaction (templates read files); stored with the runs in one transaction.
  const { runs: changed, messages } = composeOrFail(
    results.flatMap((r) => r.runsToUpsert),
    results.flatMap((r) => r.messages),
    (m) => composeMessage(m, { appUrl, now }),
    now,
  );

  await db.transaction().execute(async (trx) => {
    await saveRuns(trx, changed, now);
    await saveMessages(trx, messages);
    await trx
      .updateTable('journey_state')
      .set({ cursor_seq: cursor, last_run_at: now.toISOString() })
      .where('id', '=', 1)
      .execute();
  });
  return { processed: changed.length, sent: messages.length, cursor };
}

/**
 * One journey pass over the pipeline: profiles with events after the cursor or a run in flight
 * are rebuilt from the events table, the pure engine plans and advances their runs, and the changed runs and
 * rendered live messages are stored in one transaction. Running it twice at the same `now` changes nothing.
 */
export function journeyPass(db: DB, options: JourneyPassOptions): Promise<JourneyPassResult> {
  const next = (state.__journeyPass ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => withLease(db, 'journey-pass', () => pass(db, options)));
  state.__journeyPass = next;
  return next;
}
