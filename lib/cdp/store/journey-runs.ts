import 'server-only';
import { isDeepStrictEqual } from 'node:util';
import { CompiledQuery, sql, type Selectable, type Transaction } from 'kysely';
import type { Database, DB } from '@/lib/db';
import { dialectOf } from '@/lib/db/dialect';
import type { JourneyRunsTable, OutboxTable } from '@/lib/db/tables/journeys';
import { chunks } from './profile-loader';
import { resolvePersonId } from './profiles';
import type { ComposedMessage } from '@/lib/cdp/engine/messages/render';
import { finalStatuses, type JourneyRun, type RunReason, type RunStatus } from '@/lib/cdp/engine/journeys/types';

/** journey_runs and outbox rows ⇄ the engine's `JourneyRun`; re-keying runs when profiles join a person. */

type RunRow = Selectable<JourneyRunsTable>;
/** The columns a run is read back from: its stamps are for the console, and a pass reads thousands of runs. */
const RUN_COLUMNS = [
  'id',
  'journey_id',
  'person_id',
  'trigger_seq',
  'anchor_seq',
  'anchor_at',
  'entered_at',
  'email_at_trigger',
  'shadow',
  'status',
  'reason',
  'detail',
  'due_at',
  'ended_at',
] as const satisfies readonly (keyof RunRow)[];
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

export function runFromRow(r: Pick<RunRow, (typeof RUN_COLUMNS)[number]>): JourneyRun {
  return {
    id: r.id,
    journeyId: r.journey_id,
    profileId: r.person_id,
    triggerSeq: r.trigger_seq,
    anchorSeq: r.anchor_seq,
    anchorAt: new Date(r.anchor_at),
    enteredAt: new Date(r.entered_at),
    emailAtTrigger: r.email_at_trigger === 1,
    shadow: r.shadow === 1,
    status: r.status as RunStatus,
    reason: r.reason as RunReason | null,
    detail: r.detail,
    dueAt: date(r.due_at),
    endedAt: date(r.ended_at),
  };
}

/** `stamp`: the pass's time, as ISO text (the same for every row a pass writes). */
function runToRow(run: JourneyRun, stamp: string): RunRow {
  return {
    id: run.id,
    journey_id: run.journeyId,
    person_id: run.profileId,
    trigger_seq: run.triggerSeq,
    anchor_seq: run.anchorSeq,
    anchor_at: run.anchorAt.toISOString(),
    entered_at: run.enteredAt.toISOString(),
    email_at_trigger: run.emailAtTrigger ? 1 : 0,
    shadow: run.shadow ? 1 : 0,
    status: run.status,
    reason: run.reason,
    detail: run.detail,
    due_at: iso(run.dueAt),
    ended_at: iso(run.endedAt),
    updated_at: stamp,
    created_at: stamp,
  };
}

/** All runs of these profiles (any status): the engine needs finished ones too, to start one run per cart. */
export async function loadRunsOf(db: DB, profileIds: readonly string[]): Promise<JourneyRun[]> {
  const runs: JourneyRun[] = [];
  for (const ids of chunks([...new Set(profileIds)])) {
    const rows = await db.selectFrom('journey_runs').select(RUN_COLUMNS).where('person_id', 'in', ids).execute();
    runs.push(...rows.map(runFromRow));
  }
  return runs;
}

/** Rows per statement: at most 15 columns × 50 = 750 parameters, well under both databases' limits. */
const ROWS_PER_STATEMENT = 50;

function buildRunsUpsert(trx: Transaction<Database>, rows: readonly RunRow[]) {
  return trx
    .insertInto('journey_runs')
    .values(rows)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        journey_id: eb.ref('excluded.journey_id'),
        person_id: eb.ref('excluded.person_id'),
        trigger_seq: eb.ref('excluded.trigger_seq'),
        anchor_seq: eb.ref('excluded.anchor_seq'),
        anchor_at: eb.ref('excluded.anchor_at'),
        entered_at: eb.ref('excluded.entered_at'),
        email_at_trigger: eb.ref('excluded.email_at_trigger'),
        shadow: eb.ref('excluded.shadow'),
        status: eb.ref('excluded.status'),
        reason: eb.ref('excluded.reason'),
        detail: eb.ref('excluded.detail'),
        due_at: eb.ref('excluded.due_at'),
        ended_at: eb.ref('excluded.ended_at'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    );
}

/**
 * A multi-row statement's SQL for n rows, per dialect. Building it with Kysely (a node per value, then compiling)
 * cost more than running it in a first pass over 100k people; its text depends only on the statement and the row
 * count, so Kysely builds it once per count and later slices send that text with their values. The values are
 * the rows' columns in the order Kysely wrote them, which the first build checks.
 */
const statementText = new Map<string, string>();

function cachedStatement<R extends object>(
  trx: Transaction<Database>,
  name: string,
  rows: readonly R[],
  build: (trx: Transaction<Database>, rows: readonly R[]) => { compile(): CompiledQuery },
): CompiledQuery {
  const columns = Object.keys(rows[0]!) as (keyof R)[];
  // One flat array, filled in place: a first pass binds millions of values.
  const parameters: unknown[] = [];
  for (const row of rows) for (const c of columns) parameters.push(row[c]);
  const key = `${name}:${dialectOf(trx)}:${rows.length}:${columns.join()}`;
  let text = statementText.get(key);
  if (text === undefined) {
    const built = build(trx, rows).compile();
    if (!isDeepStrictEqual(built.parameters, parameters))
      throw new Error(`${name}: the statement does not take its values in column order`);
    statementText.set(key, (text = built.sql));
  }
  return CompiledQuery.raw(text, parameters);
}

export async function saveRuns(trx: Transaction<Database>, runs: readonly JourneyRun[], now: Date): Promise<void> {
  // Many rows per statement: a first pass over 100k people stores hundreds of thousands of runs, and one
  // statement (and one prepare) per run was most of its time.
  const stamp = now.toISOString();
  for (const slice of chunks(runs, ROWS_PER_STATEMENT)) {
    const rows = slice.map((run) => runToRow(run, stamp));
    await trx.executeQuery(cachedStatement(trx, 'saveRuns', rows, buildRunsUpsert));
  }
}

const buildOutboxInsert = (trx: Transaction<Database>, rows: readonly Selectable<OutboxTable>[]) =>
  trx
    .insertInto('outbox')
    .values(rows)
    .onConflict((oc) => oc.column('id').doNothing());

/**
 * Stores rendered messages once per run: a repeated pass cannot send the same run twice. Many per statement, as
 * runs are (a first pass stores tens of thousands; one Kysely build per message was a tenth of storing them).
 */
export async function saveMessages(trx: Transaction<Database>, messages: readonly ComposedMessage[]): Promise<void> {
  for (const slice of chunks(messages, ROWS_PER_STATEMENT)) {
    const rows = slice.map((m) => ({
      id: m.id,
      run_id: m.runId,
      journey_id: m.journeyId,
      person_id: m.personId,
      to_email: m.to,
      template_id: m.templateId,
      subject: m.subject,
      html: m.html,
      text: m.text,
      restore_url: m.restoreUrl,
      scheduled_at: m.scheduledAt.toISOString(),
      created_at: m.createdAt.toISOString(),
    }));
    await trx.executeQuery(cachedStatement(trx, 'saveMessages', rows, buildOutboxInsert));
  }
}

/**
 * Runs follow their profile into the person it joined: an anonymous id that was identified, or a person merged
 * into another. Run ids and seqs stay valid (events keep their seq when stitched or merged), so the engine
 * then sees each run next to the stitched events it is about and starts no duplicate.
 */
export async function rekeyRuns(db: DB): Promise<void> {
  for (const table of ['journey_runs', 'outbox'] as const) {
    await sql`update ${sql.table(table)} set person_id = (select i.person_id from cdp_identities i where i.anonymous_id = ${sql.ref(`${table}.person_id`)})
      where person_id in (select anonymous_id from cdp_identities)`.execute(db);
  }
  const merged = await db
    .selectFrom('journey_runs')
    .select('person_id')
    .distinct()
    .where('person_id', 'in', db.selectFrom('cdp_merges').select('secondary_id'))
    .execute();
  for (const { person_id: from } of merged) await moveRuns(db, from, await resolvePersonId(db, from));
}

/** A profile's journey runs and sent messages become `to`'s (a merge moves them at once, rekeyRuns after a race). */
export async function moveRuns(db: DB, from: string, to: string): Promise<void> {
  await db.updateTable('journey_runs').set({ person_id: to }).where('person_id', '=', from).execute();
  await db.updateTable('outbox').set({ person_id: to }).where('person_id', '=', from).execute();
}

/**
 * Runs in flight whose trigger or anchor event is no longer on their profile, with why: an anonymous id identified
 * as someone else takes the events stitched through it along (identity rule 5), and a deleted person's events go.
 * Read by event seq (the pass loads only a window of each profile's history, so absence from it proves nothing).
 */
export async function runsMovedAway(db: DB, runs: readonly JourneyRun[]): Promise<Map<string, string>> {
  const inFlight = runs.filter((r) => !finalStatuses.includes(r.status));
  const owners = new Map<number, string>();
  for (const seqs of chunks([...new Set(inFlight.flatMap((r) => [r.triggerSeq, r.anchorSeq]))])) {
    const rows = await db
      .selectFrom('cdp_events')
      .select(['seq', 'person_id', 'anonymous_id'])
      .where('seq', 'in', seqs)
      .execute();
    // A person's event is theirs; an event on no person is its anonymous id's (an anonymous profile).
    for (const row of rows) owners.set(Number(row.seq), row.person_id ?? row.anonymous_id ?? '');
  }
  const moved = new Map<string, string>();
  for (const run of inFlight) {
    for (const seq of new Set([run.triggerSeq, run.anchorSeq])) {
      const owner = owners.get(seq);
      if (owner === run.profileId) continue;
      moved.set(run.id, owner === undefined ? `event #${seq} is gone` : `event #${seq} now belongs to ${owner}`);
      break;
    }
  }
  return moved;
}
