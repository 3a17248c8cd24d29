import { z } from 'zod';
import { envSchema } from '@/lib/env';
import { IDENTITY_SIGNATURE_FAILURES } from '@/lib/tracking/identity-signature';
import { VIOLATION_KINDS } from '@/lib/cdp/model/quality';
import { REJECTION_REASONS } from '@/lib/cdp/model/rejection';
import { RUN_STATUSES } from '@/lib/cdp/engine/journeys/types';
import { cartStrategySchema, journeyGroups } from '@/lib/cdp/engine/journeys/schema';

/**
 * The ops API contract: the JSON every /api/ops route (and the cron tick) answers, defined once. Route handlers
 * are type-checked against it (`opsRoute(schema, handler)`), the console's components take its types, and the
 * e2e tests parse every answer with it. Objects are strict, so a field the API starts sending without being added
 * here fails the tests. Pure (zod only): client components and tests may import it. Times are ISO 8601 strings on the
 * pipeline clock; the table in lib/cdp/README.md names the schema of each route.
 */

const time = z.iso.datetime({ offset: true });
const id = z.string().min(1);
const json = z.record(z.string(), z.unknown());
const count = z.number().int().nonnegative();

/** `{ error, problems? }`: every failure, with `merged_into` on a 404 for a person merged away. */
export const opsErrorResponse = z.strictObject({
  error: z.string(),
  problems: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  merged_into: id.optional(),
});

export const personSummary = z.strictObject({
  id,
  email: z.string().nullable(),
  anonymous_ids: z.array(id),
  first_seen_at: time,
  last_seen_at: time,
  event_count: count,
});

/** An anonymous id with events attached to nobody, and the person it is linked to, if any. */
export const anonymousVisitor = z.strictObject({
  anonymous_id: id,
  person_id: id.nullable(),
  event_count: count,
  last_seen_at: time,
});

export const person = z.strictObject({
  id,
  email: z.string().nullable(),
  /** The latest email a trusted call set (server key, or a signed identify covering it): where messages may go. */
  email_trusted: z.string().nullable(),
  email_trusted_at: time.nullable(),
  traits: json,
  anonymous_ids: z.array(id),
  /** Ids of people merged into this one (directly or through earlier merges). */
  merged_from: z.array(id),
  identities: z.array(z.strictObject({ anonymous_id: id, linked_at: time })),
  merges: z.array(z.strictObject({ secondary_id: id, merged_at: time, reason: z.string() })),
  first_seen_at: time,
  last_seen_at: time,
  created_at: time,
  updated_at: time,
});

export const violation = z.strictObject({
  kind: z.enum(VIOLATION_KINDS),
  /** `unverified_identity` only: why the identity call was held back. */
  reason: z.enum(IDENTITY_SIGNATURE_FAILURES).optional(),
  path: z.string().optional(),
  message: z.string(),
});

/** One stored event as the timelines show it. */
export const timelineEvent = z.strictObject({
  seq: count,
  message_id: id,
  type: z.string(),
  name: z.string().nullable(),
  canonical_name: z.string().nullable(),
  /** Corrected for client clock skew; timelines are ordered by it. */
  timestamp: time,
  received_at: time,
  anonymous_id: z.string().nullable(),
  user_id: z.string().nullable(),
  person_id: z.string().nullable(),
  /** Sent anonymously and joined the person through identity stitching. */
  stitched: z.boolean(),
  attached_at: time.nullable(),
  /** Who sent this messageId, by write key: `client` (the public browser key), `server` (the server key) or both. */
  sources: z.array(z.enum(['client', 'server'])),
  /** The stored content is the server's copy (server-confirmed). */
  trusted: z.boolean(),
  /** How many times the messageId arrived (duplicates are counted, not stored). */
  seen_count: count,
  properties: json,
  traits: json,
  context: json,
  violations: z.array(violation),
});

export const qualityRow = z.strictObject({
  /** The track event name as sent; other calls are grouped by their type (`page`, `identify`, …). */
  name: z.string(),
  type: z.string(),
  canonical_name: z.string().nullable(),
  count,
  /** How many of them had no violation at all. */
  valid: count,
  /** Number of events with at least one violation of each kind. */
  violations: z.partialRecord(z.enum(VIOLATION_KINDS), count),
});

/** A call the ingest refused (answered 200 unless the request asked for X-Strict-Mode: 1), newest first. */
export const rejection = z.strictObject({
  id: count,
  received_at: time,
  /** The path it was posted to: `batch`, `b`, `t`, `track` … */
  endpoint: z.string(),
  reason: z.enum(REJECTION_REASONS),
  problems: z.array(z.strictObject({ path: z.string(), message: z.string() })),
  /** The call as JSON text, cut to 4 KB (for a refused key: the whole request's body). */
  call: z.string(),
  message_id: z.string().nullable(),
  /** Sent with X-Strict-Mode: 1, so the sender was answered with the error too. */
  strict: z.boolean(),
});

export const segmentSummary = z.strictObject({ id, name: z.string(), description: z.string(), member_count: count });
export const segmentMember = z.strictObject({ person_id: id, email: z.string().nullable() });

export const journeySummary = z.strictObject({
  id,
  name: z.string(),
  group: z.enum(journeyGroups),
  strategy: cartStrategySchema.nullable(),
  mode: z.enum(['live', 'shadow']),
  /** All runs; the counts below are where they are now. */
  entered: count,
  held: count,
  waiting: count,
  sent: count,
  exited: count,
  failed: count,
  /** Why runs ended other than by sending: `{ no_email: 2, converted: 1 }`. */
  reasons: z.record(z.string(), count),
});

/** A journey run. `person_id` is the person, or the anonymous id of a profile never identified. */
export const journeyRun = z.strictObject({
  id,
  journey_id: id,
  person_id: id,
  /** What `person_id` is: a person (whatever its id scheme) or an anonymous id no one has been identified with. */
  profile: z.enum(['person', 'anonymous']),
  status: z.enum(RUN_STATUSES),
  reason: z.string().nullable(),
  detail: z.string().nullable(),
  shadow: z.boolean(),
  email_at_trigger: z.boolean(),
  trigger_seq: count,
  anchor_seq: count,
  entered_at: time,
  due_at: time.nullable(),
  ended_at: time.nullable(),
});

/** A message a live journey sent, rendered, in the local outbox. */
export const outboxMessage = z.strictObject({
  id,
  journey_id: id,
  person_id: id,
  to: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  restore_url: z.string().nullable(),
  created_at: time,
});

/**
 * Paginated lists take `?limit=&cursor=` and answer `next_cursor`: pass it back as `cursor` for the next page;
 * null on the last page. The cursor is opaque (it encodes the last row's sort key), so the order is stable and
 * rows added meanwhile are neither skipped nor repeated before it.
 */
const CURSOR = 'cursor must be the next_cursor of an earlier page, as given; leave it out for the first page';
export const pageQuery = (defaultLimit: number, maxLimit: number) =>
  z.object({
    cursor: z.string().trim().min(1, CURSOR).max(1000, CURSOR).optional(),
    limit: limitParam(defaultLimit, maxLimit),
  });

/**
 * `?limit=` of a list: a whole number from 1 to `maxLimit`, else a 400 saying so. Every check names its message:
 * one given to `number()` alone would be reported for theirs too ("limit=-1" was answered "limit must be a number").
 */
export function limitParam(defaultLimit: number, maxLimit: number) {
  const message = `limit must be a whole number from 1 to ${maxLimit}`;
  return z.coerce
    .number({ error: message })
    .int({ error: message, abort: true })
    .min(1, { error: message })
    .max(maxLimit, { error: message })
    .default(defaultLimit);
}
const nextCursor = z.string().min(1).nullable();

/**
 * A row of a retry queue that is not delivered: the forward queue's to Customer.io, the shop's outbox to the
 * pipeline (the same shape, from queueRowView in lib/db/retry-queue.ts). Its times are wall-clock, not the
 * pipeline's.
 */
export const queueRow = z.strictObject({
  id: count,
  message_id: id,
  /** The call's type (identify, track, ...) and, for a track, its event name. */
  type: z.string().nullable(),
  event: z.string().nullable(),
  /** userId, else anonymousId: the person whose later calls wait while this one is retried. */
  person_key: z.string().nullable(),
  /** `held` only in the forward queue. */
  status: z.enum(['pending', 'dead', 'held']),
  attempts: count,
  /** The upstream's answer (status and body) or the network error of the last attempt; the reason, when held. */
  last_error: z.string().nullable(),
  created_at: time,
  /** First failure since the last success or replay: retries go on for 24 hours from here. */
  failing_since: time.nullable(),
  /** When a row waiting for its next try (in backoff) gets it; null while an attempt is in flight, or dead. */
  next_attempt_at: time.nullable(),
  /**
   * An attempt under way: claimed by an instance at `in_flight_since`; it is settled (sent, or back in backoff)
   * by `in_flight_until` at the latest, else due again then (that instance died). Null when none is.
   */
  in_flight_since: time.nullable(),
  in_flight_until: time.nullable(),
});

// One schema per route and method (the README's table lists them).
export const peopleResponse = z.strictObject({ people: z.array(personSummary), next_cursor: nextCursor });
export const personResponse = z.strictObject({ person });
export const timelineResponse = z.strictObject({
  person_id: id,
  events: z.array(timelineEvent),
  next_cursor: nextCursor,
});
export const anonymousVisitorsResponse = z.strictObject({
  visitors: z.array(anonymousVisitor),
  next_cursor: nextCursor,
});
export const anonymousResponse = z.strictObject({
  anonymous_id: id,
  person_id: id.nullable(),
  events: z.array(timelineEvent),
  next_cursor: nextCursor,
});
export const qualityResponse = z.strictObject({ events: z.array(qualityRow) });
/**
 * GET /api/ops/rejections?reason=&limit=&cursor=: the latest refused calls, a page at a time, and how many there
 * are of each reason (over all of them, whatever the filter).
 */
export const rejectionsResponse = z.strictObject({
  total: count,
  by_reason: z.partialRecord(z.enum(REJECTION_REASONS), count),
  rejections: z.array(rejection),
  next_cursor: nextCursor,
});
export const clockResponse = z.strictObject({ now: time, mode: envSchema.shape.CDP_CLOCK.unwrap() });
/** After a move of the manual clock: the new time and what each pipeline job did. */
export const clockMoveResponse = z.strictObject({ now: time, jobs: json });
export const segmentsResponse = z.strictObject({ segments: z.array(segmentSummary) });
export const segmentResponse = z.strictObject({
  segment: segmentSummary.omit({ member_count: true }),
  /** Members in person id order, one page at a time. */
  members: z.array(segmentMember),
  next_cursor: nextCursor,
});
export const journeysResponse = z.strictObject({
  live_cart_strategy: cartStrategySchema,
  journeys: z.array(journeySummary),
});
export const journeyRunsResponse = z.strictObject({ runs: z.array(journeyRun), next_cursor: nextCursor });
export const journeyPassResponse = z.strictObject({ processed: count, sent: count });
export const outboxResponse = z.strictObject({ messages: z.array(outboxMessage), next_cursor: nextCursor });
/**
 * GET or POST /api/cron/tick (Bearer CRON_SECRET, not the ops token): what each job did in this minute tick,
 * `{ skipped }` for a job another instance or call already ran this minute.
 */
export const cronTickResponse = z.strictObject({ jobs: json });

/**
 * A sender paused because its destination refused the request itself (the key, the address): nothing is sent or
 * failed until `next_try_at`, when one request probes (lib/common/refusal-pause.ts). This process's state.
 */
const refusedPause = {
  /** The destination's answer: 401, 403, a 3xx … */
  status: z.number().int(),
  /** Its answer and what to check. */
  error: z.string(),
  /** First refusal of this state, the latest, and the next try (past while that try is due). */
  since: time,
  at: time,
  next_try_at: time,
  refusals: count,
};

/** GET /api/ops/forwarding: the forward queue to Customer.io, with its dead-letter list (newest first). */
export const forwardingResponse = z.strictObject({
  /** Where calls go (CIO_WRITE_KEY set), or null: proxy mode is off. */
  target: z.string().nullable(),
  counts: z.strictObject({ pending: count, sent: count, dead: count, held: count }),
  oldest_pending_at: time.nullable(),
  /** The last error of the most recent failed attempt, whatever its row: a wrong key shows here. */
  last_error: z.string().nullable(),
  dead: z.array(queueRow),
  /** Pending rows that failed at least once (in backoff), oldest first. */
  retrying: z.array(queueRow),
  /**
   * Forwarding held for this process (lib/cdp/forward/pause.ts), or null: `refused`, Customer.io refused the write
   * key or the address (`headline` says which in a few words); `retry-after`, it asked for no request before `until`.
   */
  paused: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('refused'), headline: z.string(), ...refusedPause }),
      z.strictObject({ kind: z.literal('retry-after'), until: time }),
    ])
    .nullable(),
});
/**
 * GET /api/ops/shop-events: the shop's outbox (the calls its server makes: Order Completed, identifies, cart and
 * checkout mirrors, unsubscriptions; sent to the pipeline until it acknowledges): counts, the oldest undelivered
 * row, and the rows that failed (in backoff or in flight, or dead after a day), newest first.
 */
export const shopEventsResponse = z.strictObject({
  counts: z.strictObject({ pending: count, sent: count, dead: count }),
  oldest_pending_at: time.nullable(),
  failing: z.array(queueRow),
  /** The outbox held for this process: the pipeline refused the server write key or the address; or null. */
  paused: z.strictObject(refusedPause).nullable(),
});
/**
 * POST /api/ops/forwarding/replay and /api/ops/shop-events/replay `{ ids? }`: dead-lettered rows (all, or those ids:
 * all or none, 404 for an id that is no row, 409 for one not dead-lettered) queued again.
 */
export const replayResponse = z.strictObject({ replayed: count });

export type OpsError = z.infer<typeof opsErrorResponse>;
export type PersonSummary = z.infer<typeof personSummary>;
export type Person = z.infer<typeof person>;
export type TimelineEvent = z.infer<typeof timelineEvent>;
export type QualityRow = z.infer<typeof qualityRow>;
export type Rejection = z.infer<typeof rejection>;
export type SegmentSummary = z.infer<typeof segmentSummary>;
export type SegmentMember = z.infer<typeof segmentMember>;
export type JourneySummary = z.infer<typeof journeySummary>;
export type JourneyRunView = z.infer<typeof journeyRun>;
export type OutboxMessage = z.infer<typeof outboxMessage>;
export type QueueRow = z.infer<typeof queueRow>;
export type ForwardQueueState = z.infer<typeof forwardingResponse>;
export type ShopEventsState = z.infer<typeof shopEventsResponse>;
