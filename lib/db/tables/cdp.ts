import type { Generated } from 'kysely';

/**
 * Tables owned by lib/cdp, the local Customer.io-compatible pipeline. Times are ISO strings from the
 * pipeline clock (lib/cdp/store/clock.ts); JSON columns hold serialized objects.
 */
export interface CdpEventsTable {
  /** Monotonic cursor: consumers (journeys, segments) read "everything after seq N". */
  seq: Generated<number>;
  message_id: string;
  type: string;
  /** Event name for track, page/screen name for page/screen, null otherwise. */
  name: string | null;
  /** The tracking plan's name for `name` (drifted names resolved), null when unknown. */
  canonical_name: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  /** alias: the id being aliased; group: the group id. */
  previous_id: string | null;
  group_id: string | null;
  person_id: string | null;
  /** Event time corrected for client clock skew (timestamp + receivedAt − sentAt). */
  timestamp: string;
  original_timestamp: string | null;
  sent_at: string | null;
  received_at: string;
  /** 1 when an anonymous event was attached to a person by identity stitching. */
  stitched: number;
  /** Pipeline time when person_id was set (received_at for events that arrived with a userId). */
  attached_at: string | null;
  /** The person this event was moved from by a merge (null: the person's own): it never triggers a journey. */
  merged_from: string | null;
  seen_by_client: number;
  seen_by_server: number;
  seen_count: number;
  properties: string;
  traits: string;
  context: string;
  violations: string;
  /**
   * 1 when the stored properties/traits are a copy sent with the server write key (server-confirmed): a server
   * copy of a messageId replaces a browser copy stored before it, and a browser copy never replaces it.
   */
  trusted: Generated<number>;
  /**
   * Identity-changing calls only (identify with a userId, alias): `server` (server write key), `signed` (a valid
   * identity signature) or `unverified` (held: never stitched, merged, aliased, forwarded, or allowed to change
   * traits; the reason is its `unverified_identity` violation). Null for every other call.
   */
  identity_check: 'server' | 'signed' | 'unverified' | null;
}

export interface CdpPeopleTable {
  /** The shop's canonical customer id (`cus_…`), i.e. the userId of identify calls. */
  id: string;
  /** Lower-cased traits.email, for lookups and merges. */
  email: string | null;
  /**
   * The latest email set by a trusted call (server write key, or a signed identify whose signature covered that
   * email), lower-cased: the only address messages may be sent to. Null when no trusted call set one.
   */
  email_trusted: string | null;
  /** Pipeline time when email_trusted was set. */
  email_trusted_at: string | null;
  traits: string;
  /** Earliest and latest event timestamp of the person (kept in step with their events). */
  first_seen_at: string;
  last_seen_at: string;
  created_at: string;
  updated_at: string;
}

export interface CdpIdentitiesTable {
  anonymous_id: string;
  person_id: string;
  /** Pipeline time of the latest identify/alias carrying this id: starts the 5-minute late-event window. */
  linked_at: string;
  /** Pipeline time of the first identify/alias carrying this id (migration 0009 fills it for older rows). */
  first_linked_at: string;
}

export interface CdpMergesTable {
  id: Generated<number>;
  primary_id: string;
  secondary_id: string;
  merged_at: string;
  /** `email` (identify id and email pointed at two people) or `alias`. */
  reason: string;
}

export interface CdpClockTable {
  id: number;
  /** Manual time at the last set/advance. */
  now: string;
  /** Wall time at that moment; the manual clock runs on from there. */
  wall_at: string;
}

export interface CdpForwardQueueTable {
  id: Generated<number>;
  message_id: string;
  /** The call as forwarded to Customer.io (JSON, write key removed); '' once sent with CDP_LOCAL=off. */
  payload: string;
  /**
   * `held`: an identity call that failed verification, recorded and never sent (last_error says why).
   * `dead`: Customer.io refused it (a 4xx) or a day of retries failed; kept until replayed from the console.
   */
  status: 'pending' | 'sent' | 'dead' | 'held';
  attempts: number;
  /**
   * Wall-clock ms: forwarding talks to a real server, so it ignores the manual pipeline clock. While an attempt is
   * under way, the claim's expiry (due again then if the instance died).
   */
  next_attempt_at: number;
  /** Wall-clock ms when the attempt under way was claimed; null when none is (migration 0018). */
  claimed_at: number | null;
  /** userId, else anonymousId: a person's later calls wait behind an earlier pending one (migration 0010). */
  person_key: string | null;
  /** Wall-clock ms of the first failed attempt since the last success or replay; retries last a day from it. */
  failing_since: number | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** One console sign-in (lib/cdp/ops/auth.ts). */
export interface OpsSessionsTable {
  /** SHA-256 of the cookie's random token: a copy of the database cannot be replayed as sessions. */
  id: string;
  created_at: string;
  expires_at: string;
  /** When it was last used, at most a minute behind (null: not since its sign-in). Unused too long, it ends. */
  last_seen_at: string | null;
}

/** A call the ingest refused (lib/cdp/ingest): why, and what it was, so a permissive 200 loses nothing silently. */
export interface CdpRejectionsTable {
  id: Generated<number>;
  received_at: string;
  /** The path it was posted to (`batch`, `track`, `t` …). */
  endpoint: string;
  /** RejectionReason in lib/cdp/model/rejection.ts. */
  reason: string;
  /** JSON `[{ path, message }]`. */
  problems: string;
  /** The call (or the request, for a key refused) as JSON text, cut to a few KB. */
  call: string;
  message_id: string | null;
  /** 1 when the request asked for X-Strict-Mode: 1 (and was answered with the error). */
  strict: number;
}

/** User ids suppressed by a `User Suppressed` call: their calls are refused until `User Unsuppressed`. */
export interface CdpSuppressionsTable {
  user_id: string;
  suppressed_at: string;
}

/** A person action carried out, by messageId: a repeat of it is a duplicate (migration 0014). */
export interface CdpPersonActionsTable {
  message_id: string;
  action: string;
  received_at: string;
}

/** An ingest spool line stored, by the id the spool gave it: a replay of it is a no-op (migration 0032). */
export interface CdpSpoolStoredTable {
  entry_id: string;
  stored_at: string;
}

export interface CdpTables {
  cdp_events: CdpEventsTable;
  cdp_people: CdpPeopleTable;
  cdp_identities: CdpIdentitiesTable;
  cdp_merges: CdpMergesTable;
  cdp_clock: CdpClockTable;
  cdp_forward_queue: CdpForwardQueueTable;
  ops_sessions: OpsSessionsTable;
  cdp_rejections: CdpRejectionsTable;
  cdp_suppressions: CdpSuppressionsTable;
  cdp_person_actions: CdpPersonActionsTable;
  cdp_spool_stored: CdpSpoolStoredTable;
}
