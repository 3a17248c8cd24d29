import { z } from 'zod';

/**
 * Durations are written the way people say them (`'4h'`, `'72h'`, `'30m'`, `'1.5d'`) in segment and journey
 * definitions and in the pipeline clock API (`{ advance: '4h' }`), and parsed here only.
 */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** `'4h'` → 14 400 000. Throws on anything else, naming the input (definitions are validated at load). */
export function parseDuration(value: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) throw new Error(`Invalid duration "${value}": use a number and one of ms, s, m, h, d (e.g. "4h")`);
  const [, amount, unit] = match as unknown as [string, string, keyof typeof UNIT_MS];
  return Math.round(Number(amount) * UNIT_MS[unit]);
}

export function isDuration(value: string): boolean {
  return DURATION.test(value.trim());
}

/** A duration string in a zod schema; keeps the string (readable in the console) and checks it parses. */
export const durationSchema = z.string().refine(isDuration, {
  message: 'expected a duration such as "30m", "4h" or "7d" (units: ms, s, m, h, d)',
});

/** A duration no longer than `max`, e.g. the 72 h hold limit. */
export const durationAtMost = (max: string) =>
  durationSchema.refine((v) => parseDuration(v) <= parseDuration(max), { message: `must be at most ${max}` });

export const addDuration = (at: Date, duration: string) => new Date(at.getTime() + parseDuration(duration));
