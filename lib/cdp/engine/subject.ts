import type { EngineEvent, Profile } from '@/lib/cdp/model/event';
import { normalizeEmail } from '@/lib/tracking/email';

/**
 * Time-aware reads of a profile shared by segments and journeys. An event is part of the person's history at
 * time T only once it has happened (timestamp ≤ T) AND belongs to them (attachedAt ≤ T): a stitched Added to
 * Cart counts from the identify that attached it, never before — that is what keeps membership correct for
 * events that were anonymous when they happened.
 */

/** When the pipeline could first have seen the event as this person's (identify time for stitched ones). */
export const entryTime = (e: EngineEvent): Date =>
  e.attachedAt && e.attachedAt.getTime() > e.timestamp.getTime() ? e.attachedAt : e.timestamp;

/** Orders by when it happened; ties (same millisecond) by ingest order. */
export const byTime = (a: EngineEvent, b: EngineEvent) =>
  a.timestamp.getTime() - b.timestamp.getTime() || a.seq - b.seq;

export const isAfter = (e: EngineEvent, anchor: EngineEvent) => byTime(e, anchor) > 0;

export type Horizon = {
  /** Windows end here and later events are ignored. */
  now: Date;
  /** Attachment cut-off; defaults to `now`. A lookback evaluated "as of an identify" sees later stitches. */
  visibleAt?: Date;
};

/**
 * Per-profile memo of derived, sorted views. The engines read a profile many times per pass (every journey,
 * every run, every trigger); re-filtering and re-sorting its events each time made a pass quadratic in a
 * profile's history. Profiles are treated as immutable once built (the loaders build fresh ones per pass), so
 * a view computed once is valid for the profile object's lifetime; the memo dies with it.
 */
type Views = { named: Map<string, EngineEvent[]>; history: Map<number, Map<number, EngineEvent[]>> };
const views = new WeakMap<Profile, Views>();
function viewsOf(profile: Profile): Views {
  let own = views.get(profile);
  if (!own) views.set(profile, (own = { named: new Map(), history: new Map() }));
  return own;
}
function memo(profile: Profile, key: string, build: () => EngineEvent[]): EngineEvent[] {
  const { named } = viewsOf(profile);
  let view = named.get(key);
  if (!view) named.set(key, (view = build()));
  return view;
}

/** The events that form the person's history at `now`, sorted by (timestamp, seq). Read-only (memoized). */
export function historyAt(profile: Profile, { now, visibleAt = now }: Horizon): EngineEvent[] {
  // Keyed by the two times as numbers: a string key built per call was a visible part of a first pass.
  const at = now.getTime();
  const visible = visibleAt.getTime();
  const { history } = viewsOf(profile);
  let byVisible = history.get(at);
  if (!byVisible) history.set(at, (byVisible = new Map()));
  let view = byVisible.get(visible);
  if (!view)
    byVisible.set(
      visible,
      (view = profile.events
        .filter((e) => e.timestamp.getTime() <= at && entryTime(e).getTime() <= visible)
        .sort(byTime)),
    );
  return view;
}

export const tracksNamed = (events: EngineEvent[], name: string) =>
  events.filter((e) => e.type === 'track' && e.name === name);

// Ties (a merged identify attached in the same instant as the survivor's own) by ingest order, whatever order
// the store returned the rows in.
const identifies = (profile: Profile) =>
  memo(profile, 'identifies', () =>
    profile.events
      .filter((e) => e.type === 'identify')
      .sort((a, b) => entryTime(a).getTime() - entryTime(b).getTime() || a.seq - b.seq),
  );

export const hasValue = (v: unknown) => v !== undefined && v !== null && v !== '';

/** No identify events at all: a profile handed over without history (tests, previews) reads its current state. */
const withoutHistory = (profile: Profile) => identifies(profile).length === 0;

/**
 * A person's traits as their identifies left them, in the order they became the person's (later wins). The
 * identifies a merge brought (`inherited`, all joined at the merge's time) fill only what the person had unset or
 * empty, as Customer.io merges ("Attributes that are not set, or are empty, on the primary will be overwritten",
 * docs.customer.io/journeys/merge-people) and as identity/merge.ts stores them: applied like the others, after the
 * person's own, they made the merged-away person's name, cart and email win. One merge's identifies combine (later
 * wins) and fill at the last of them; read/segment-sql.ts `hasAttribute` means the same.
 */
function traitsFrom(profile: Profile, calls: EngineEvent[], at: Date): Record<string, unknown> {
  if (withoutHistory(profile)) return { ...profile.traits, ...(profile.email ? { email: profile.email } : {}) };
  const known = calls.filter((call) => entryTime(call).getTime() <= at.getTime());
  const traits: Record<string, unknown> = {};
  const lastOfMerge = new Map<number, EngineEvent>();
  for (const call of known) if (call.inherited) lastOfMerge.set(entryTime(call).getTime(), call);
  const merges = new Map<number, Record<string, unknown>>();
  for (const call of known) {
    if (!call.inherited) {
      Object.assign(traits, call.properties);
      continue;
    }
    const mergedAt = entryTime(call).getTime();
    const merged = Object.assign(merges.get(mergedAt) ?? {}, call.properties);
    merges.set(mergedAt, merged);
    if (lastOfMerge.get(mergedAt) === call)
      for (const [key, value] of Object.entries(merged)) if (!hasValue(traits[key])) traits[key] = value;
  }
  return traits;
}

/**
 * Traits known at `at`, rebuilt from identify events so a replay at an earlier time sees what was known then.
 * A profile handed over without identify events (no history) falls back to its current traits and email.
 */
export const traitsAt = (profile: Profile, at: Date) => traitsFrom(profile, identifies(profile), at);

/**
 * Traits as the shop's server set them (server-confirmed identifies only): what a message may show. A browser
 * identify, which anyone holding the public write key can send, never puts a name or a cart into an email.
 */
export const trustedTraitsAt = (profile: Profile, at: Date) =>
  traitsFrom(
    profile,
    identifies(profile).filter((e) => e.serverConfirmed),
    at,
  );

/**
 * Customer.io's `unsubscribed` attribute: no campaign message goes to a person for whom it is true. Honoured
 * whoever set it (stopping mail never harms the recipient), so either view of the traits saying true counts, and
 * so does the text "true" (a form's or an import's value): Customer.io documents a boolean only, and mailing
 * someone who may have refused is the worse mistake.
 */
export const unsubscribedAt = (profile: Profile, at: Date) =>
  saysTrue(traitsAt(profile, at).unsubscribed) || saysTrue(trustedTraitsAt(profile, at).unsubscribed);

const saysTrue = (value: unknown) =>
  value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');

/**
 * Server-confirmed identify calls that set or cleared the email, by the time they became the person's: journeys
 * send only to an address the shop's server set (issue 9), never to one a browser call claimed. An `email` of
 * null or "" clears it, as it clears the person's stored `email`: Customer.io addresses a message to the person's
 * current `email` attribute, so the address before it is no longer one to send to.
 */
const emailIdentifies = (profile: Profile) =>
  memo(profile, 'email-identifies', () =>
    identifies(profile).filter((e) => e.serverConfirmed && Object.hasOwn(e.properties, 'email')),
  );

export function emailAt(profile: Profile, at: Date): string | null {
  if (withoutHistory(profile)) return profile.email;
  // Sorted by entry time: the last one known by `at`, found by binary search (called once per trigger and run).
  const calls = emailIdentifies(profile);
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entryTime(calls[mid]!).getTime() <= at.getTime()) lo = mid + 1;
    else hi = mid;
  }
  // A merge's address fills only one the person lacked (traitsFrom): the slow read, once a merge brought one.
  const known = calls[lo - 1]?.inherited ? trustedTraitsAt(profile, at).email : calls[lo - 1]?.properties.email;
  // Normalized like the person's stored email, so the outbox's address filter finds it on both databases (SQLite's
  // lower() folds ASCII only).
  return hasValue(known) ? normalizeEmail(String(known)) : null;
}

/** The email as the event's own profile knew it: a stitched event happened on an anonymous profile. */
export const emailAtEvent = (profile: Profile, e: EngineEvent) => (e.stitched ? null : emailAt(profile, e.timestamp));

/** First moment in [from, until] at which the person has an email, or null. */
export function emailKnownBetween(profile: Profile, from: Date, until: Date): Date | null {
  if (emailAt(profile, from)) return from;
  const first = emailIdentifies(profile).find(
    (e) =>
      entryTime(e).getTime() > from.getTime() &&
      entryTime(e).getTime() <= until.getTime() &&
      hasValue(e.properties.email),
  );
  return first ? entryTime(first) : null;
}

/** Reads `a.b.0.c` from nested objects and arrays; undefined when any step is missing. */
export function propertyAt(source: unknown, path: string): unknown {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
