import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { resetProcessState } from '@/lib/common/process-state';
import { deliverDue, flushForwardQueue } from '@/lib/cdp/forward/deliver';
import { forwardPause } from '@/lib/cdp/forward/pause';
import { enqueueForward, replayDeadForwards } from '@/lib/cdp/store/forward-queue';
import { messageSchema } from '@/lib/cdp/model/message';
import { withFakeUpstream } from './fake-upstream';
import { ingest, T0, track } from './support';

// Time is driven through deliverDue's wall-clock parameter: a day of outage takes no day.
const HOUR = 3_600_000;
const fake = withFakeUpstream();
const { upstream } = fake;

const rows = () => fake.db.selectFrom('cdp_forward_queue').selectAll().orderBy('id').execute();
const nextDue = async () => Number((await rows())[0]!.next_attempt_at);

describe('an outage', () => {
  it('is retried for a day with capped backoff, then dead-lettered with the last answer, and replays', async () => {
    await ingest(fake.db, [track('Order Completed', { userId: 'cus_1', messageId: 'o1' })], T0, { forward: true });
    upstream.answer(() => ({ status: 503, body: 'upstream maintenance' }));
    const start = Date.UTC(2026, 11, 1, 0, 0, 0);
    let now = start;
    await deliverDue(fake.db, fake.target, now);
    const gaps: number[] = [];
    while ((await rows())[0]!.status === 'pending') {
      const due = await nextDue();
      gaps.push(due - now);
      now = due;
      await deliverDue(fake.db, fake.target, now);
    }
    const [dead] = await rows();
    expect(dead).toMatchObject({ status: 'dead', last_error: expect.stringContaining('503') });
    expect(dead!.last_error).toContain('upstream maintenance');
    // Still trying 23 hours in; given up only once a full day of failures is over.
    expect(now - start).toBeGreaterThanOrEqual(24 * HOUR);
    expect(now - start).toBeLessThan(24 * HOUR + 10 * 60_000 + 1);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10 * 60_000);
    expect(gaps.slice(0, 4).every((gap, i) => gap >= 500 * 2 ** i && gap <= 1000 * 2 ** i)).toBe(true);
    expect(dead!.attempts).toBe(upstream.received.length);
    expect(upstream.received.length).toBeGreaterThan(140);

    // Nothing more is tried until someone replays it; then it goes out once the upstream is back.
    expect(await deliverDue(fake.db, fake.target, now + 48 * HOUR)).toEqual({
      sent: 0,
      retrying: 0,
      dead: 0,
      waiting: 0,
    });
    upstream.reset();
    expect(await replayDeadForwards(fake.db, now)).toEqual({ replayed: 1 });
    expect(await deliverDue(fake.db, fake.target, now)).toMatchObject({ sent: 1 });
    expect(upstream.accepted()).toEqual(['o1']);
    expect((await rows())[0]).toMatchObject({ status: 'sent', last_error: null, failing_since: null });
  }, 90_000); // some 150 attempts, each a request and a few queries: slow on a busy machine

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    await ingest(fake.db, [track('Product Viewed', { anonymousId: 'a' })], T0, { forward: true });
    const now = Date.UTC(2026, 11, 1, 8, 0, 0);
    upstream.respondWith(
      { status: 429, headers: { 'Retry-After': '120' } },
      { status: 503, headers: { 'Retry-After': new Date(now + 120_000 + 300_000).toUTCString() } },
    );
    expect(await deliverDue(fake.db, fake.target, now)).toMatchObject({ retrying: 1 });
    expect(await nextDue()).toBe(now + 120_000);
    expect(await deliverDue(fake.db, fake.target, now + 119_999)).toMatchObject({ sent: 0, retrying: 0 });
    expect(await deliverDue(fake.db, fake.target, now + 120_000)).toMatchObject({ retrying: 1 });
    expect(await nextDue()).toBe(now + 420_000);
    expect(await deliverDue(fake.db, fake.target, now + 420_000)).toMatchObject({ sent: 1 });
  });

  it('a 400 for one invalid call in a batch dead-letters that call only: the batch is split to find it', async () => {
    const calls = ['v1', 'v2', 'bad', 'v3', 'v4'].map((messageId) =>
      track('Product Viewed', { anonymousId: messageId, messageId }),
    );
    await ingest(fake.db, calls, T0, { forward: true });
    upstream.answer((batch) =>
      batch.some((c) => c.messageId === 'bad') ? { status: 400, body: 'invalid event' } : 200,
    );
    expect(await deliverDue(fake.db, fake.target)).toEqual({ sent: 4, retrying: 0, dead: 1, waiting: 0 });
    expect(upstream.accepted().toSorted()).toEqual(['v1', 'v2', 'v3', 'v4']);
    const dead = (await rows()).filter((r) => r.status === 'dead');
    expect(dead.map((r) => [r.message_id, r.last_error])).toEqual([['bad', expect.stringContaining('invalid event')]]);
  });

  it('a request that times out is retried', async () => {
    await ingest(fake.db, [track('Product Viewed', { anonymousId: 'a' })], T0, { forward: true });
    upstream.respondWith({ status: 200, hang: true });
    expect(await deliverDue(fake.db, { ...fake.target, timeoutMs: 300 })).toMatchObject({ retrying: 1 });
    expect((await rows())[0]!.last_error).toMatch(/no answer within 300 ms/);
  });
});

describe('Customer.io refusing the request itself (a wrong key, a wrong address)', () => {
  const pending = async () =>
    (await rows()).filter(
      (r) => r.status === 'pending' && r.attempts === 0 && r.failing_since === null && r.claimed_at === null,
    ).length;

  it('fails no call: one request, then every claimed row is handed back, due, with no attempt counted', async () => {
    // 150 calls: two batches. Each answer refuses the first; the second is never sent.
    const calls = Array.from({ length: 150 }, (_, i) => track('Product Viewed', { anonymousId: `a${i % 3}` }));
    await ingest(fake.db, calls, T0, { forward: true });
    const now = Date.UTC(2026, 11, 1, 9, 0, 0);
    const answers: Array<[number, Record<string, string>, RegExp]> = [
      [401, {}, /^Customer.io answered 401 .*invalid write key.*CIO_WRITE_KEY/],
      [403, {}, /^Customer.io answered 403 .*CIO_WRITE_KEY/],
      // A wrong host's web page is not copied into the console and the log.
      [404, { 'content-type': 'text/html' }, /^Customer.io answered 404 Not Found: a web page \(check CIO_API_HOST/],
      // A web page that says 200 (a captive portal, a site at a wrong host) did not take the calls.
      [200, { 'content-type': 'text/html; charset=utf-8' }, /^Customer.io answered 200 OK: a web page, .*CIO_API_HOST/],
      // Followed, a 302 would become a GET without the calls, and the landing page's 200 would count as delivered.
      ...[301, 302, 307, 308].map((status): [number, Record<string, string>, RegExp] => [
        status,
        { location: '/landing' },
        new RegExp(`^Customer.io answered ${status} .*redirect to /landing.*CIO_API_HOST`),
      ]),
    ];
    for (const [status, headers, error] of answers) {
      upstream.reset();
      upstream.respondWith({ status, headers, body: '{"error":"invalid write key"}' });
      const told: unknown[] = [];
      const result = await deliverDue(fake.db, fake.target, now, { onDestination: (r) => told.push(r) });
      expect(result, `${status}`).toEqual({ sent: 0, retrying: 0, dead: 0, waiting: 150 });
      expect(upstream.received.map((r) => [r.status, r.headers['x-strict-mode']])).toEqual([[status, '1']]);
      expect(told).toEqual([{ status, error: expect.stringMatching(error) }]);
      expect(await pending()).toBe(150);
      expect(await nextDue()).toBeLessThanOrEqual(now);
    }
    upstream.reset();
    expect(await deliverDue(fake.db, fake.target, now)).toMatchObject({ sent: 150, dead: 0 });
    expect(upstream.accepted()).toEqual(calls.map((c) => c.messageId));
  });

  it('ends a pass that was splitting a batch for a 400: the halves not sent yet are not failed', async () => {
    const calls = ['v1', 'v2', 'bad', 'v3', 'v4'].map((messageId) => track('Product Viewed', { messageId }));
    await ingest(
      fake.db,
      calls.map((c) => ({ ...c, anonymousId: c.messageId })),
      T0,
      { forward: true },
    );
    // The key is revoked right after the first answer.
    upstream.respondWith({ status: 400, body: 'invalid event' }, 401, 401);
    expect(await deliverDue(fake.db, fake.target)).toEqual({ sent: 0, retrying: 0, dead: 0, waiting: 5 });
    expect(upstream.received.map((r) => r.status)).toEqual([400, 401]);
    expect(await pending()).toBe(5);
  });
});

describe('forwarding paused by a refusal (the process’s forwarder)', () => {
  const saved = { ...process.env };
  const MINUTE = 60_000;
  const none = { sent: 0, retrying: 0, dead: 0, waiting: 0 };
  const view = (messageId: string) => track('Product Viewed', { anonymousId: 'a', messageId });
  beforeEach(() => {
    Object.assign(process.env, { CIO_WRITE_KEY: 'cio-key', CIO_API_HOST: fake.target.url.replace('/v1/batch', '') });
    resetEnvCache();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 11, 1, 9, 0, 0));
  });
  afterEach(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    process.env = { ...saved };
    resetEnvCache();
    await resetProcessState();
  });

  it('sends nothing until the next probe, one request backing off from 1 to 15 minutes; then drains in order', async () => {
    const logged = { error: vi.spyOn(console, 'error'), info: vi.spyOn(console, 'info') };
    for (const spy of Object.values(logged)) spy.mockImplementation(() => {});
    const start = Date.now();
    upstream.respondWith({ status: 401, body: '{"error":"invalid write key"}' }, 401, 401, 401, 401, 401, 401);
    await ingest(fake.db, [view('first')], T0, { forward: true });
    expect(await flushForwardQueue(fake.db)).toEqual({ ...none, waiting: 1 });
    expect(forwardPause()).toMatchObject({ kind: 'refused', status: 401, since: start, until: start + MINUTE });
    // Another visitor's call, and the passes its request and others start: no request, nothing dead-lettered.
    await ingest(fake.db, [view('second')], T0, { forward: true });
    for (let i = 0; i < 3; i++) expect(await flushForwardQueue(fake.db)).toEqual(none);
    expect(upstream.received).toHaveLength(1);

    const waits: number[] = [];
    for (let probe = 0; probe < 6; probe++) {
      const { until } = forwardPause()!;
      vi.setSystemTime(until - 1);
      expect(await flushForwardQueue(fake.db)).toEqual(none);
      vi.setSystemTime(until);
      expect(await flushForwardQueue(fake.db)).toEqual({ ...none, waiting: 2 });
      waits.push(forwardPause()!.until - until);
    }
    expect(waits).toEqual([2, 4, 8, 15, 15, 15].map((m) => m * MINUTE));
    expect(upstream.received).toHaveLength(7);
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    // Logged when it began, not on each probe.
    expect(logged.error.mock.calls.map(([text]) => String(text))).toEqual([
      expect.stringMatching(/^\[cdp\] forwarding paused: Customer.io refused the write key \(401\)/),
    ]);

    // The key is fixed on Customer.io's side: the next probe gets through and the queue drains, in order, no Replay.
    vi.setSystemTime(forwardPause()!.until);
    expect(await flushForwardQueue(fake.db)).toEqual({ ...none, sent: 2 });
    expect(upstream.accepted()).toEqual(['first', 'second']);
    expect(forwardPause()).toBeNull();
    expect(logged.info.mock.calls.map(([text]) => String(text))).toEqual([
      expect.stringMatching(/^\[cdp\] forwarding resumed: .* after 7 refused since 2026-12-01T09:00:00.000Z \(401\)/),
    ]);
  });

  it('a restart with the setting fixed sends at once: the calls were not put off', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    upstream.respondWith({ status: 302, headers: { location: 'https://example.com/' } });
    await ingest(fake.db, [view('first'), view('second')], T0, { forward: true });
    expect(await flushForwardQueue(fake.db)).toEqual({ ...none, waiting: 2 });
    await resetProcessState(); // the restart
    expect(await flushForwardQueue(fake.db)).toEqual({ ...none, sent: 2 });
    expect(upstream.accepted()).toEqual(['first', 'second']);
  });
});

describe('batch size', () => {
  it('counts UTF-8 bytes: multi-byte text stays under 500 KB per request and 32 KB per call', async () => {
    // 9 000 Cyrillic letters and emoji: ~9 000 UTF-16 units per call but ~22 KB of UTF-8.
    const text = 'жёлтый крем 🧴 '.repeat(600);
    const calls = Array.from({ length: 60 }, (_, i) =>
      track('Review Written', { anonymousId: `a${i}`, messageId: `r${i}`, properties: { text } }),
    );
    // One call over 32 KB in UTF-8 although its string length is only 12 000. The ingest refuses it now
    // (forward-limits.test.ts); a row queued before that is set aside all the same.
    const oversized = track('Review Written', {
      anonymousId: 'big',
      messageId: 'big',
      properties: { text: '€'.repeat(12_000) },
    });
    expect(await ingest(fake.db, [...calls, oversized], T0, { forward: true })).toMatchObject({
      forwarded: 60,
      rejected: 1,
    });
    await enqueueForward(fake.db, messageSchema.parse(oversized), { at: T0 });
    expect(await deliverDue(fake.db, fake.target)).toEqual({ sent: 60, retrying: 0, dead: 1, waiting: 0 });
    expect(upstream.received.length).toBeGreaterThan(2);
    for (const request of upstream.received) {
      expect(request.bytes).toBeLessThanOrEqual(500 * 1024);
      for (const call of request.batch) expect(Buffer.byteLength(JSON.stringify(call))).toBeLessThanOrEqual(32 * 1024);
    }
    expect(upstream.accepted()).toEqual(calls.slice(0, 60).map((c) => c.messageId));
    const big = (await rows()).find((r) => r.message_id === 'big');
    expect(big).toMatchObject({ status: 'dead', last_error: expect.stringMatching(/at most 32768/) });
  });
});

describe('event time', () => {
  it('a delayed delivery keeps each event’s own, skew-corrected time, and no stale sentAt goes with it', async () => {
    const received = new Date('2026-12-01T10:00:00.000Z');
    // A browser whose clock is an hour fast: it stamped the click 5 s before it sent the batch.
    const browser = track('Product Viewed', {
      anonymousId: 'a',
      messageId: 'skewed',
      timestamp: '2026-12-01T10:59:55.000Z',
      sentAt: '2026-12-01T11:00:00.000Z',
    });
    const server = track('Order Completed', { userId: 'cus_1', messageId: 'server' }); // no timestamp at all
    await ingest(fake.db, [browser], received, { forward: true, trusted: false });
    await ingest(fake.db, [server], received, { forward: true });
    upstream.respondWith(503);
    await deliverDue(fake.db, fake.target, received.getTime());
    await deliverDue(fake.db, fake.target, received.getTime() + 3 * HOUR); // delivered three hours later
    const [delivered] = upstream.received.filter((r) => r.status === 200).map((r) => r.batch);
    expect(delivered!.map((c) => [c.messageId, c.timestamp, 'sentAt' in c])).toEqual([
      ['skewed', '2026-12-01T09:59:55.000Z', false],
      ['server', '2026-12-01T10:00:00.000Z', false],
    ]);
  });
});
