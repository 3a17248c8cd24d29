import { describe, expect, it } from 'vitest';
import { backoffMs, MAX_DELAY_MS, nextAttemptAt, retryAfterMs, RETRY_WINDOW_MS } from '@/lib/common/backoff';
import { batchBody, MAX_BATCH_BYTES, MAX_CALL_BYTES, toBatches } from '@/lib/cdp/forward/batches';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

describe('backoff', () => {
  it('doubles from 1 s to a 10-minute cap, jittered between half and all of each step', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(30, () => 1)).toBe(MAX_DELAY_MS);
    expect(backoffMs(30, () => 0)).toBe(MAX_DELAY_MS / 2);
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores what it cannot read', () => {
    expect(retryAfterMs('120', NOW)).toBe(120_000);
    expect(retryAfterMs(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
    // "Now" (0, a date already past) and garbage Date.parse would read as a date in 2001: the backoff applies.
    for (const now of ['0', new Date(NOW - 90_000).toUTCString(), '1.5', '-1', '3.', '1 2'])
      expect(retryAfterMs(now, NOW)).toBeNull();
    expect(retryAfterMs('in a bit', NOW)).toBeNull();
    expect(retryAfterMs(null, NOW)).toBeNull();
    expect(retryAfterMs('86400', NOW)).toBe(3_600_000); // a day-long pause is capped at an hour
  });

  it('keeps retrying for 24 hours from the first failure, then gives up (dead letter)', () => {
    const row = { attempts: 40, failing_since: NOW - RETRY_WINDOW_MS + 1 };
    expect(nextAttemptAt(row, NOW, null, () => 1)).toBe(NOW + MAX_DELAY_MS);
    expect(nextAttemptAt(row, NOW, 5_000)).toBe(NOW + 5_000); // Retry-After wins over the backoff
    expect(nextAttemptAt({ ...row, failing_since: NOW - RETRY_WINDOW_MS }, NOW, null)).toBeNull();
    expect(nextAttemptAt({ attempts: 0, failing_since: null }, NOW, null, () => 1)).toBe(NOW + 1000);
  });
});

describe('batches', () => {
  const row = (text: string) => ({ payload: JSON.stringify({ type: 'track', properties: { text } }) });

  it('are sized in UTF-8 bytes, not string length', () => {
    const rows = Array.from({ length: 40 }, () => row('ж'.repeat(15_000))); // 15 000 units, ~30 KB each
    const { batches, oversized } = toBatches(rows);
    expect(oversized).toEqual([]);
    expect(batches.flat()).toHaveLength(40);
    expect(batches.length).toBeGreaterThan(2);
    for (const batch of batches)
      expect(Buffer.byteLength(batchBody(batch.map((r) => r.payload)))).toBeLessThanOrEqual(MAX_BATCH_BYTES);
  });

  it('set aside a call over 32 KB of UTF-8 even when its string is shorter, keeping the others in order', () => {
    const big = row('€'.repeat(11_000)); // 11 000 units, 33 000 bytes
    const small = [row('a'), row('b')];
    expect(big.payload.length).toBeLessThan(MAX_CALL_BYTES);
    expect(toBatches([small[0]!, big, small[1]!])).toEqual({ batches: [small], oversized: [big] });
  });

  it('hold at most 100 calls', () => {
    expect(toBatches(Array.from({ length: 250 }, () => row('x'))).batches.map((b) => b.length)).toEqual([100, 100, 50]);
  });
});
