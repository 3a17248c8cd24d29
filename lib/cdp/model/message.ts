import { z } from 'zod';
import { util } from 'zod/v4/core';
import { personActionOf } from './semantic-events';

/** The envelope of one Customer.io Data Pipelines call, as the browser and node SDKs send it. */
export const MESSAGE_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export const isMessageType = (type: string): type is MessageType => (MESSAGE_TYPES as readonly string[]).includes(type);

/** Single-call paths of the HTTP API (`/t`, `/i`, … the SDKs' short names) and the call type each one implies. */
export const PATH_TYPES: Record<string, MessageType> = {
  t: 'track',
  i: 'identify',
  p: 'page',
  s: 'screen',
  g: 'group',
  a: 'alias',
};

/** Every single-call endpoint: the short paths and Customer.io's documented names (`/v1/track`, `/v1/identify` …). */
export const ENDPOINT_TYPES: Record<string, MessageType> = {
  ...PATH_TYPES,
  ...Object.fromEntries(MESSAGE_TYPES.map((type) => [type, type])),
};

const TIME_FORMS =
  'must be an ISO 8601 date-time such as 2025-01-31T12:00:00.000Z (an offset, or none for UTC) or a date such as 2025-01-31';
const OUT_OF_RANGE = 'is out of range: in UTC it must fall between the years 0000 and 9999';

/**
 * A string field whose every check names its own message. In zod 4 the `{ error }` given to `z.string()` replaces
 * the message of each later check that has none of its own: `.max(200)` on `event` was reported as "event must be
 * a string". `nonBlank` trims it first and refuses what is left empty.
 */
function text(field: string, max: number, { nonBlank = false } = {}) {
  const string = z.string({ error: `${field} must be a string` });
  const checked = nonBlank ? string.trim().min(1, `${field} must not be blank`) : string;
  return checked.max(max, `${field} must be at most ${max} characters`);
}

// Segment-style ids may be numbers; the pipeline stores them as strings. The SDKs send null for "none"; an empty
// (or blank) one is none too: Customer.io documents that a userId or anonymousId may be passed empty.
// "." and ".." are refused: the console and the ops API name a profile in the URL's path, where a browser or HTTP
// client reads them as "this folder" and "the one above" (/api/ops/anonymous/.. is /api/ops), so no URL could open
// such a profile; a stranger's calls under one were stored where no one could look at them.
const id = (field: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && !value.trim() ? undefined : value),
    z
      .union(
        [
          z
            .string()
            .trim()
            .max(255, `${field} must be at most 255 characters`)
            .refine(
              (text) => text !== '.' && text !== '..',
              `${field} must not be a dot or two dots alone (no URL can name it)`,
            ),
          z.number().finite(),
        ],
        { error: `${field} must be text or a number` },
      )
      .transform(String)
      .nullish(),
  );

/**
 * Event times as Customer.io's Pipelines API takes them: ISO 8601 text. A date-time with `Z` or an offset is
 * exact; one without an offset is read as UTC (as Customer.io stores every time); a date alone is midnight UTC.
 * The stored form is always the full UTC date-time. Anything else (epoch numbers, `01/31/2025`, a 30 February) is
 * a problem of that call only.
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

// What the SDKs send (`Date.prototype.toISOString`): when it reads back as itself it is its own stored form.
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function parseTimestamp(text: string): string | null {
  // A batch's calls mostly carry the same few times (the SDK's sentAt, calls made in the same millisecond): the
  // answers of the last few texts are kept, as this ran twice for every call (issue 13). It is a pure function.
  const known = recentTimes.get(text);
  if (known !== undefined) return known;
  const parsed = parseTimestampText(text);
  if (recentTimes.size >= RECENT_TIMES) recentTimes.clear();
  recentTimes.set(text, parsed);
  return parsed;
}

const RECENT_TIMES = 16;
const recentTimes = new Map<string, string | null>();

function parseTimestampText(text: string): string | null {
  if (CANONICAL.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === text) return text;
  }
  const m = ISO_8601.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const offset = /^z$/i.test(zone)
    ? 'Z'
    : zone.length === 3
      ? `${zone}:00`
      : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${(frac + '000').slice(0, 3)}${offset}`);
  // Date.parse rolls 30 February over to March: the calendar date must survive the round trip. setUTCFullYear, not
  // Date.UTC, which reads years 0–99 as 1900–1999 (so `0050-01-01` never matched and was refused as no date).
  const day = new Date(0);
  day.setUTCFullYear(+y!, +mo! - 1, +d!);
  const sameDay = day.toISOString().slice(0, 10) === `${y}-${mo}-${d}`;
  return Number.isNaN(ms) || !sameDay ? null : new Date(ms).toISOString();
}

// Stored times are compared and sorted as text, and read back by this parser (the spool's drain): an offset that
// takes year 0000 or 9999 past its end in UTC gives `-000001-…` or `+010000-…`, which would do neither.
const hasFourDigitYear = (iso: string) => iso[0] !== '-' && iso[0] !== '+';

/**
 * An empty (or blank) time is none, as for ids: the SDKs fill in `timestamp` only when the option is undefined, so
 * a blank variable reaches the API as `""`, and Customer.io, like Segment, stamps a call without a time with the
 * time it was received. Text that is not a time (`"yesterday"`, `01/31/2026`) still refuses the call: any time
 * guessed for it would put the event where it never happened (lib/cdp/README.md, "Where this differs").
 */
const isoTime = (field: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' && !value.trim() ? undefined : value),
    z
      .string({ error: `${field} ${TIME_FORMS}` })
      .transform((text, ctx) => {
        const parsed = parseTimestamp(text);
        if (parsed === null) ctx.addIssue({ code: 'custom', message: `${field} ${TIME_FORMS}` });
        else if (!hasFourDigitYear(parsed)) ctx.addIssue({ code: 'custom', message: `${field} ${OUT_OF_RANGE}` });
        else return parsed;
        return z.NEVER;
      })
      .nullish(),
  );
// Accepts what z.record(z.string(), z.unknown()) accepts, and keeps the object rather than copying it key by key:
// every key of parsed JSON is a string and every value passes, so the copy was the same object again, made for
// properties, traits and context of every call (issue 13). A `__proto__` key, which the copy dropped, is refused
// before this (ingest/call-shape.ts).
const object = (what: string) =>
  z
    .custom<Record<string, unknown>>((value) => util.isPlainObject(value), { error: `${what} must be a JSON object` })
    .nullish()
    .transform((v) => v ?? {});

export const messageSchema = z
  .looseObject({
    type: z.enum(MESSAGE_TYPES, { error: `type must be one of ${MESSAGE_TYPES.join(', ')}` }),
    // Customer.io assigns one to a call sent without: so does the pipeline (a UUID, stored and forwarded with it).
    messageId: text('messageId', 200, { nonBlank: true })
      .nullish()
      .transform((id) => id ?? crypto.randomUUID()),
    event: text('event', 200, { nonBlank: true }).nullish(),
    name: text('name', 200).nullish(),
    userId: id('userId'),
    anonymousId: id('anonymousId'),
    previousId: id('previousId'),
    groupId: id('groupId'),
    timestamp: isoTime('timestamp'),
    sentAt: isoTime('sentAt'),
    properties: object('properties'),
    traits: object('traits'),
    context: object('context'),
  })
  .superRefine((m, ctx) => {
    if (m.type === 'track' && !m.event)
      ctx.addIssue({ code: 'custom', path: ['event'], message: 'a track call needs an event name' });
    if (m.type === 'alias') {
      if (!m.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'an alias call needs the new userId' });
      if (!m.previousId)
        ctx.addIssue({
          code: 'custom',
          path: ['previousId'],
          message: 'an alias call needs the previousId it replaces',
        });
    } else if (!m.userId && !m.anonymousId) {
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'a call needs a userId or an anonymousId' });
    }
    const action = personActionOf(m);
    if (action && !m.userId)
      ctx.addIssue({ code: 'custom', path: ['userId'], message: `a ${action} call needs the userId it is about` });
    if (m.type === 'group' && !m.groupId)
      ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'a group call needs a groupId' });
    const nul = pathToNul(m);
    if (nul) ctx.addIssue({ code: 'custom', path: nul, message: 'must not contain NUL characters (\\u0000)' });
  });

/**
 * Where a NUL character hides in a call (a string or a key), if anywhere. PostgreSQL text and jsonb cannot hold
 * one, so the call is refused on both databases alike rather than failing its batch with a 500 on one.
 */
function pathToNul(value: unknown): (string | number)[] | null {
  const reversed = reversedPathToNul(value);
  return reversed && reversed.reverse();
}

// Depth first in key order; the path is built only on the way back from a find (it ran for every call, issue 13).
function reversedPathToNul(value: unknown): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? [] : null;
  if (typeof value !== 'object' || value === null) return null;
  const isArray = Array.isArray(value);
  for (const key of Object.keys(value)) {
    if (key.includes('\u0000')) return [];
    const found = reversedPathToNul((value as Record<string, unknown>)[key]);
    if (found) {
      found.push(isArray ? Number(key) : key);
      return found;
    }
  }
  return null;
}

export type IngestMessage = z.output<typeof messageSchema>;

export const batchSchema = z.looseObject({
  batch: z.array(z.unknown(), { error: 'batch must be an array of calls' }).min(1, 'batch must not be empty'),
  writeKey: z.string({ error: 'writeKey must be a string' }).optional(),
  // Applied to every call of the batch (lib/cdp/ingest/parse-request.ts).
  context: z.record(z.string(), z.unknown(), { error: 'context must be a JSON object' }).optional(),
  integrations: z.record(z.string(), z.unknown(), { error: 'integrations must be a JSON object' }).optional(),
});
