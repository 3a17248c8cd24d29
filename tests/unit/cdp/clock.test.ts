import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { advanceClock, moveClockTo, now, setClock } from '@/lib/cdp/store/clock';
import { readManualClock } from '@/lib/db/manual-clock';
import { parseDuration, tryParseDuration } from '@/lib/common/duration';
import { HttpError } from '@/lib/common/http';
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

  it('jumps when moved, runs at wall speed in between, and lives in the database', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    try {
      const db = await freshDb();
      const start = await now(db);
      expect(start.toISOString()).toBe('2026-05-01T10:00:00.000Z');
      vi.setSystemTime(new Date('2026-05-01T10:00:05Z'));
      expect((await now(db)).toISOString()).toBe('2026-05-01T10:00:05.000Z');
      await advanceClock(db, 4 * 3_600_000);
      expect((await now(db)).toISOString()).toBe('2026-05-01T14:00:05.000Z');
      await setClock(db, new Date('2030-01-01T00:00:00Z'));
      vi.setSystemTime(new Date('2026-05-01T10:01:05Z'));
      expect((await now(db)).toISOString()).toBe('2030-01-01T00:01:00.000Z');
      expect((await db.selectFrom('cdp_clock').select('now').executeTakeFirstOrThrow()).now).toBe(
        '2030-01-01T00:00:00.000Z',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses to move past the dates it can store (a 400, not a RangeError)', async () => {
    // The wall clock stands still, so "the clock did not move" is an exact comparison.
    vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    try {
      const db = await freshDb();
      await setClock(db, new Date('2030-01-01T00:00:00Z'));
      await expect(advanceClock(db, parseDuration('9999999999d'))).rejects.toMatchObject({ status: 400 });
      await expect(advanceClock(db, parseDuration('3000000d'))).rejects.toBeInstanceOf(HttpError);
      await expect(setClock(db, new Date(Number.NaN))).rejects.toBeInstanceOf(HttpError);
      // Near the ends of four-digit years the clock would run past them (it keeps going at wall speed) and the
      // pipeline stamps times 30 days either side of it: a set to 9999-12-31 once lost an acknowledged event,
      // stamped +010000-… and purged as older than 30 days by text comparison.
      await expect(setClock(db, new Date('9999-12-31T23:59:59Z'))).rejects.toMatchObject({ status: 400 });
      await expect(setClock(db, new Date('0000-01-01T00:00:00Z'))).rejects.toMatchObject({ status: 400 });
      expect((await now(db)).toISOString()).toBe('2030-01-01T00:00:00.000Z');
      await advanceClock(db, parseDuration('1d'));
      expect((await now(db)).toISOString()).toBe('2030-01-02T00:00:00.000Z');
    } finally {
      vi.useRealTimers();
    }
  });

  it('moves forward through the ops API, and back only when asked to rewind', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    try {
      const db = await freshDb();
      await setClock(db, new Date('2030-01-01T00:00:00Z'));
      const back = moveClockTo(db, new Date('2029-12-31T00:00:00Z'));
      await expect(back).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/only moves forward/) });
      expect((await now(db)).toISOString()).toBe('2030-01-01T00:00:00.000Z');
      expect((await moveClockTo(db, new Date('2030-01-02T00:00:00Z'))).toISOString()).toBe('2030-01-02T00:00:00.000Z');
      // The same set again a moment later (a second instance): passed since the last move, so the clock stays put.
      vi.setSystemTime(new Date('2026-05-01T10:00:05Z'));
      expect((await moveClockTo(db, new Date('2030-01-02T00:00:00Z'))).toISOString()).toBe('2030-01-02T00:00:05.000Z');
      expect((await now(db)).toISOString()).toBe('2030-01-02T00:00:05.000Z');
      await expect(moveClockTo(db, new Date('2030-01-01T23:59:59Z'))).rejects.toMatchObject({ status: 400 });
      await moveClockTo(db, new Date('2029-12-31T00:00:00Z'), { rewind: true });
      expect((await now(db)).toISOString()).toBe('2029-12-31T00:00:00.000Z');
    } finally {
      vi.useRealTimers();
    }
  });

  // The shop mints and checks restore links by the same reading (lib/shop/server/shop-clock.ts).
  it('is read the same by the shop: the manual time once set, nothing on the system clock', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z'), toFake: ['Date'] });
    try {
      const db = await freshDb();
      expect(await readManualClock(db)).toBeNull();
      await advanceClock(db, 8 * 86_400_000);
      expect(await readManualClock(db)).toEqual({
        now: new Date('2026-05-09T10:00:00.000Z'),
        movedTo: new Date('2026-05-09T10:00:00.000Z'),
      });
      process.env.CDP_CLOCK = 'system';
      resetEnvCache();
      expect(await readManualClock(db)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
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
