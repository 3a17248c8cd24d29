import { describe, expect, it } from 'vitest';
import { addDuration, durationAtMost, durationSchema, parseDuration } from '@/lib/common/duration';

describe('parseDuration', () => {
  it('parses every unit the definitions and the clock API use', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('4h')).toBe(14_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
    // Compound durations, as the clock API has always taken them.
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d2h30m')).toBe(95_400_000);
  });

  it('rejects anything ambiguous, naming the input', () => {
    for (const bad of ['4', 'h', '4hrs', '-4h', '4 h', '1h 30m', ''])
      expect(() => parseDuration(bad)).toThrow(/Invalid duration/);
  });

  it('validates in schemas and enforces an upper bound', () => {
    expect(durationSchema.safeParse('72h').success).toBe(true);
    expect(durationSchema.safeParse('3 days').success).toBe(false);
    expect(durationAtMost('72h').safeParse('3d').success).toBe(true);
    expect(durationAtMost('72h').safeParse('73h').success).toBe(false);
    expect(addDuration(new Date('2026-01-01T00:00:00Z'), '1d').toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });

  it('answers a value that is not text with the same message as a bad duration (POST /api/ops/clock {"advance": 5})', () => {
    for (const bad of [5, null, ['4h'], '3 days']) {
      const messages = durationSchema.safeParse(bad).error?.issues.map((i) => i.message);
      expect(messages).toEqual([expect.stringMatching(/^expected a duration such as "30m", "4h"/)]);
    }
  });
});
