import { describe, expect, it } from 'vitest';
import { deliverDue } from '@/lib/cdp/forward/deliver';
import { withFakeUpstream } from './fake-upstream';
import { ingest, T0, track } from './support';

// One call Customer.io fails on with a 500, whatever else is in its request, must not hold the rest of its batch:
// before, its 99 neighbours were retried with it for a day and then dead-lettered with it. An outage must still
// cost about one request per pass.

const fake = withFakeUpstream();
const { upstream } = fake;
const START = Date.UTC(2026, 11, 1, 9, 0, 0);

const rows = () => fake.db.selectFrom('cdp_forward_queue').selectAll().orderBy('id').execute();

/** `n` calls from as many visitors, messageIds m0…; the call at `poisonAt` is `poison`, from visitor v-poison. */
async function queueCalls(n: number, poisonAt: number) {
  const calls = Array.from({ length: n }, (_, i) =>
    i === poisonAt
      ? track('Product Viewed', { anonymousId: 'v-poison', messageId: 'poison' })
      : track('Product Viewed', { anonymousId: `v${i}`, messageId: `m${i}` }),
  );
  await ingest(fake.db, calls, T0, { forward: true });
}

/** Runs a pass at each due time, `passes` times; returns the requests each pass made. */
async function passes(count: number) {
  let now = START;
  const perPass: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = upstream.received.length;
    await deliverDue(fake.db, fake.target, now);
    perPass.push(upstream.received.length - before);
    const due = (await rows()).filter((r) => r.status === 'pending').map((r) => Number(r.next_attempt_at));
    if (!due.length) break;
    now = Math.max(now, Math.min(...due));
  }
  return perPass;
}

describe('a call Customer.io answers 500 for, in a batch of others', () => {
  it('is found by halving from the third attempt: the others are delivered, it alone keeps retrying', async () => {
    await queueCalls(150, 37);
    upstream.answer((batch) => (batch.some((c) => c.messageId === 'poison') ? 500 : 200));
    await passes(6);
    const accepted = upstream.accepted();
    expect(accepted).toHaveLength(149);
    expect(new Set(accepted)).toEqual(
      new Set(Array.from({ length: 150 }, (_, i) => `m${i}`).filter((m) => m !== 'm37')),
    );
    const left = (await rows()).filter((r) => r.status !== 'sent');
    expect(left).toMatchObject([{ message_id: 'poison', status: 'pending', attempts: expect.any(Number) }]);
    expect(left[0]!.last_error).toContain('500');
  });

  it("keeps its person's later calls behind it, in order", async () => {
    await queueCalls(20, 3);
    await ingest(fake.db, [track('Added to Cart', { anonymousId: 'v-poison', messageId: 'later' })], T0, {
      forward: true,
    });
    upstream.answer((batch) => (batch.some((c) => c.messageId === 'poison') ? 500 : 200));
    await passes(6);
    expect(upstream.accepted()).toHaveLength(19);
    expect(upstream.accepted()).not.toContain('later');
    expect((await rows()).filter((r) => r.status !== 'sent').map((r) => r.message_id)).toEqual(['poison', 'later']);
  });
});

describe('an outage', () => {
  it('answered 500 throughout: halving stops at the first half that fails whole, and every call counts the attempt', async () => {
    await queueCalls(100, -1);
    upstream.answer(() => 500);
    const perPass = await passes(5);
    // One request a pass until the batch has failed twice, then the halves down to one call and its neighbour.
    expect(perPass.slice(0, 2)).toEqual([1, 1]);
    for (const n of perPass.slice(2)) expect(n).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(100)));
    expect(new Set((await rows()).map((r) => r.attempts))).toEqual(new Set([perPass.length]));
    expect(upstream.accepted()).toEqual([]);
  });

  it('answered 503 (or a timeout, 502, 504, a Retry-After): never halved, one request a pass', async () => {
    await queueCalls(100, -1);
    upstream.answer(() => 503);
    expect(await passes(5)).toEqual([1, 1, 1, 1, 1]);
  });
});
