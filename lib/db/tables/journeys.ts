import type { Generated } from 'kysely';

/**
 * Tables of the journey runner (lib/cdp/store/journey-runs.ts). Times are ISO strings on the pipeline clock;
 * booleans are 0/1 integers, as SQLite has no boolean type.
 *
 * journey_runs is indexed by id (primary key), person_id, (due_at, person_id) of the runs in flight only, and
 * (updated_at desc, id, journey_id) for the console (migrations 0023, 0027; lib/cdp/engine/README.md says which
 * statement uses which).
 */
export interface JourneyRunsTable {
  /** `${journeyId}:${triggerSeq}:${profileId}` (runs stored before wave 21: `${journeyId}:${triggerSeq}`). */
  id: string;
  journey_id: string;
  /** A person id, or an anonymous id for a profile never identified (re-keyed to the person on identify). */
  person_id: string;
  trigger_seq: number;
  anchor_seq: number;
  anchor_at: string;
  entered_at: string;
  email_at_trigger: number;
  shadow: number;
  status: string;
  reason: string | null;
  detail: string | null;
  due_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Rendered messages of live runs, keyed by run id so each run sends at most once. Indexed for the console's pages,
 * each newest first with the id as tie-breaker: (created_at desc, id), (journey_id, created_at desc, id),
 * (lower(to_email), created_at desc, id), and person_id for a person's messages and recovered orders (migrations
 * 0012, 0015, 0024; tests/unit/db/report-plans.test.ts checks the plans).
 */
export interface OutboxTable {
  id: string;
  run_id: string;
  journey_id: string;
  person_id: string;
  to_email: string;
  template_id: string;
  subject: string;
  html: string;
  text: string;
  restore_url: string | null;
  scheduled_at: string;
  created_at: string;
}

/** One row (id 1): where the runner is in cdp_events, and the seq before which no trigger starts a run. */
export interface JourneyStateTable {
  id: number;
  /** Highest event seq when journeys were installed: older triggers never start runs (no sends for stale carts). */
  horizon_seq: number;
  /** Highest seq the runner has read; the next pass loads the subjects of events after it. */
  cursor_seq: number;
  last_run_at: string | null;
}

/**
 * Profiles whose stored events changed without a new event (lib/cdp/store/journey-due.ts): the next journey pass
 * re-evaluates their runs in flight and deletes the rows it read (ids up to the one it read under the writers' lock).
 */
export interface JourneyTouchesTable {
  id: Generated<number>;
  /** A person id, or an anonymous id (an anonymous profile), as journey_runs.person_id. */
  profile_id: string;
}

export interface JourneyTables {
  journey_runs: JourneyRunsTable;
  outbox: OutboxTable;
  journey_state: JourneyStateTable;
  journey_touches: JourneyTouchesTable;
}
