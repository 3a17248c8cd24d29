import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { deliverDue, flushForwardQueue } from '@/lib/cdp/forward/deliver';
import { ingestBatch } from '@/lib/cdp/ingest/handle';
import { IngestRefusal, parseIngestRequest } from '@/lib/cdp/ingest/parse-request';
import { withFakeUpstream } from './fake-upstream';
import { SERVER_WRITE_KEY, T0 } from './support';

const fake = withFakeUpstream();
const { upstream } = fake;

const KEYS = { browser: 'browser-key', server: SERVER_WRITE_KEY };

/** A call as a plain HTTP client sends it (no timestamp, messageId or context), `bytes` long as JSON. */
function callOf(bytes: number, anonymousId: string) {
  const base = { type: 'track', event: 'Review Written', anonymousId, properties: { text: '' } };
  return { ...base, properties: { text: 'x'.repeat(bytes - Buffer.byteLength(JSON.stringify(base))) } };
}

/** What the ingest route does with a browser-key POST to /track: parse, then store and queue for Customer.io. */
async function post(call: object, strict = false) {
  const request = new Request('http://127.0.0.1/api/cdp/v1/track', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(strict ? { 'x-strict-mode': '1' } : {}) },
    body: JSON.stringify({ ...call, writeKey: KEYS.browser }),
  });
  const parsed = await parseIngestRequest(request, ['track'], KEYS);
  return ingestBatch(fake.db, parsed.messages, {
    receivedAt: T0,
    trusted: parsed.trusted,
    serverWriteKey: SERVER_WRITE_KEY,
    local: true,
    forward: true,
    strict: parsed.strict,
    rejected: parsed.rejected,
    clientIp: '203.0.113.77',
  });
}

const queue = () => fake.db.selectFrom('cdp_forward_queue').select(['status', 'payload']).execute();

describe('a call near 32 KB', () => {
  it('is refused, visibly, when the fields the pipeline adds take it over 32 KB: it could never be forwarded', async () => {
    // Within 32 KB as received (the writeKey the browser stamps on it included); with the messageId, timestamp and
    // context.ip the pipeline adds, over it.
    const call = callOf(32 * 1024 - 40, 'big');
    expect(Buffer.byteLength(JSON.stringify({ ...call, writeKey: KEYS.browser }))).toBeLessThanOrEqual(32 * 1024);
    expect(await post(call)).toMatchObject({ stored: 0, forwarded: 0, rejected: 1 });
    expect(await queue()).toEqual([]);
    const [rejection] = await fake.db.selectFrom('cdp_rejections').select(['reason', 'problems']).execute();
    expect(rejection!.reason).toBe('too_large');
    expect(rejection!.problems).toMatch(/larger than 32 KB as forwarded to Customer\.io/);
    // Strict mode answers it as an error, storing nothing.
    await expect(post(callOf(32 * 1024 - 40, 'big2'), true)).rejects.toBeInstanceOf(IngestRefusal);
    expect(await queue()).toEqual([]);
  });

  it('is accepted and delivered when it fits as forwarded', async () => {
    const call = callOf(32 * 1024 - 200, 'fits');
    expect(await post(call)).toMatchObject({ stored: 1, forwarded: 1, rejected: 0 });
    const [row] = await queue();
    expect(Buffer.byteLength(row!.payload)).toBeLessThanOrEqual(32 * 1024);
    expect(await deliverDue(fake.db, fake.target)).toEqual({ sent: 1, retrying: 0, dead: 0, waiting: 0 });
    expect(upstream.received).toHaveLength(1);
  });
});

describe('a Retry-After that says "now"', () => {
  it('is not taken as the delay: an upstream answering 429 with it is asked again after the backoff, not at once', async () => {
    await post(callOf(200, 'a'));
    const now = Date.UTC(2026, 11, 1, 8, 0, 0);
    const nextDue = async () =>
      Number(
        (await fake.db.selectFrom('cdp_forward_queue').select('next_attempt_at').executeTakeFirstOrThrow())
          .next_attempt_at,
      );
    // Seconds, a date already past, and text Date.parse reads as a date in 2001.
    let at = now;
    for (const [i, retryAfter] of ['0', new Date(now - 60_000).toUTCString(), '1.5'].entries()) {
      upstream.respondWith({ status: 429, headers: { 'Retry-After': retryAfter } });
      expect(await deliverDue(fake.db, fake.target, at)).toMatchObject({ retrying: 1 });
      // Attempt n waits at least half of 2ⁿ⁻¹ s.
      expect((await nextDue()) - at).toBeGreaterThanOrEqual(500 * 2 ** i);
      at = await nextDue();
    }
    expect(await deliverDue(fake.db, fake.target, at)).toMatchObject({ sent: 1 });
  });
});

describe('a Retry-After from Customer.io', () => {
  afterEach(() => vi.useRealTimers());

  it('holds every call, not only those it answered: no request before it ends', async () => {
    Object.assign(process.env, { CIO_WRITE_KEY: 'cio-key', CIO_API_HOST: fake.target.url.replace('/v1/batch', '') });
    resetEnvCache();
    upstream.respondWith({ status: 429, headers: { 'Retry-After': '60' } });
    await post(callOf(200, 'first'));
    expect(await flushForwardQueue(fake.db)).toMatchObject({ retrying: 1 });
    // Another visitor's call, and the pass its request starts: it waits out the pause too.
    await post(callOf(200, 'second'));
    expect(await flushForwardQueue(fake.db)).toEqual({ sent: 0, retrying: 0, dead: 0, waiting: 0 });
    expect(upstream.received).toHaveLength(1);
    // Once it is over both go, oldest first.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await flushForwardQueue(fake.db)).toMatchObject({ sent: 2 });
    expect(upstream.accepted().length).toBe(2);
    expect(upstream.received[1]!.batch.map((c) => c.anonymousId)).toEqual(['first', 'second']);
  });
});
