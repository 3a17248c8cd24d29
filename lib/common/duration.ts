import { z } from 'zod';

/**
 * The one way to write a duration. In data (segment and journey definitions, the pipeline clock API's
 * `{ advance: '4h' }`) it is a string the way people say it (`'4h'`, `'72h'`, `'30m'`, `'1.5d'`), parsed here
 * only; in code it is milliseconds built from the constants below (`30 * DAY`), never a bare `24 * 60 * 60 * 1000`.
 */
export const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export const SECOND = UNIT_MS.s;
export const MINUTE = UNIT_MS.m;
export const HOUR = UNIT_MS.h;
export const DAY = UNIT_MS.d;

export const addMs = (at: Date, ms: number) => new Date(at.getTime() + ms);

/** Cookie `maxAge` is in seconds, every other duration here in milliseconds. */
export const maxAgeSeconds = (ms: number) => Math.round(ms / SECOND);
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

// Parsed durations by text: the journey engine reads its definitions' few durations for every run of a pass.
// Bounded (the clock API parses request input too): cleared when full.
const parsed = new Map<string, number | null>();

/** `'4h'` → 14 400 000, `'1d2h30m'` → the sum; null when the text is not a duration. */
export function tryParseDuration(value: string): number | null {
  let ms = parsed.get(value);
  if (ms === undefined) {
    if (parsed.size >= 256) parsed.clear();
    parsed.set(value, (ms = parse(value)));
  }
  return ms;
}

function parse(value: string): number | null {
  const text = value.trim();
  if (!DURATION.test(text)) return null;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return Math.round(total);
}

/** Like tryParseDuration, but throws naming the input (definitions are validated at load). */
export function parseDuration(value: string): number {
  const ms = tryParseDuration(value);
  if (ms === null)
    throw new Error(`Invalid duration "${value}": use a number and one of ms, s, m, h, d, w (e.g. "4h" or "1d2h")`);
  return ms;
}

export function isDuration(value: string): boolean {
  return tryParseDuration(value) !== null;
}

const DURATION_MESSAGE = 'expected a duration such as "30m", "4h", "7d" or "1d2h" (units: ms, s, m, h, d, w)';
/**
 * A duration string in a zod schema; keeps the string (readable in the console) and checks it parses. A number or
 * null gets the same message as a bad string, not zod's "expected string, received number".
 */
export const durationSchema = z.string({ error: DURATION_MESSAGE }).refine(isDuration, { message: DURATION_MESSAGE });

/** A duration no longer than `max`, e.g. the 72 h hold limit. */
export const durationAtMost = (max: string) =>
  durationSchema.refine((v) => parseDuration(v) <= parseDuration(max), { message: `must be at most ${max}` });

export const addDuration = (at: Date, duration: string) => new Date(at.getTime() + parseDuration(duration));
