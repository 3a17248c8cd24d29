import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advanceClock, now, setClock } from '@/lib/cdp/clock';
import { parseDuration, tryParseDuration } from '@/lib/cdp/duration';
import { HttpError } from '@/lib/cdp/http';
import { resetEnvCache } from '@/lib/env';
import { freshDb } from './support';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe('parseDuration', () => {
  it('reads single and compound durations', () => {
    expect(parseDuration('4h')).toBe(4 * 3_600_000);
    expect(parseDuration('1d2h30m')).toBe(86_400_000 + 2 * 3_600_000 + 30 * 60_000);
    expect(parseDuration('300ms')).toBe(300);
    expect(tryParseDuration('5 minutes')).toBeNull();
    expect(tryParseDuration('')).toBeNull();
  });
});

describe('manual clock', () => {
  beforeEach(() => {
    process.env.CDP_CLOCK = 'manual';
    resetEnvCache();
  });

  it('stands still until moved, and lives in the database', async () => {
    const db = await freshDb();
    const start = await now(db);
    await new Promise((r) => setTimeout(r, 5));
    expect((await now(db)).toISOString()).toBe(start.toISOString());
    await advanceClock(db, 4 * 3_600_000);
    expect((await now(db)).getTime()).toBe(start.getTime() + 4 * 3_600_000);
    await setClock(db, new Date('2030-01-01T00:00:00Z'));
    expect((await db.selectFrom('cdp_clock').select('now').executeTakeFirstOrThrow()).now).toBe('2030-01-01T00:00:00.000Z');
  });

  it('refuses to move past the dates it can store (a 400, not a RangeError)', async () => {
    const db = await freshDb();
    await setClock(db, new Date('2030-01-01T00:00:00Z'));
    await expect(advanceClock(db, parseDuration('9999999999d'))).rejects.toMatchObject({ status: 400 });
    await expect(advanceClock(db, parseDuration('3000000d'))).rejects.toBeInstanceOf(HttpError);
    await expect(setClock(db, new Date(Number.NaN))).rejects.toBeInstanceOf(HttpError);
    expect((await now(db)).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    await advanceClock(db, parseDuration('1d'));
    expect((await now(db)).toISOString()).toBe('2030-01-02T00:00:00.000Z');
  });

  it('is the wall clock in system mode', async () => {
    process.env.CDP_CLOCK = 'system';
    resetEnvCache();
    const db = await freshDb();
    await setClock(db, new Date('2030-01-01T00:00:00Z'));
    const before = Date.now();
    const current = (await now(db)).getTime();
    expect(current).toBeGreaterThanOrEqual(before);
    expect(current).toBeLessThanOrEqual(Date.now());
  });
});
