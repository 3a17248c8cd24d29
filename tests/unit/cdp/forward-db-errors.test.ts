import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { deliverDue, flushForwardQueue, kickForwarder } from '@/lib/cdp/forward/deliver';
import { failOnce, failQueries, selectsColumn, setsColumn } from '../support/faults';
import { withFakeUpstream } from './fake-upstream';
import { ingest, T0, track } from './support';

// The database failing in the middle of a forwarding pass (SQLite busy past its timeout, a lost PostgreSQL
// connection, a deadlock): nothing acknowledged is lost, nothing Customer.io took is sent again, and what the pass
// held goes out within seconds, not when its five-minute claim runs out.
const fake = withFakeUpstream();
const { upstream } = fake;
const CLAIM_RUNS_OUT = 5 * 60_000 + 1;

/** 150 calls of three people: two batches (100 calls a request). */
async function queue150() {
  const calls = Array.from({ length: 150 }, (_, i) => ({
    ...track('Product Viewed', { anonymousId: `p${i % 3}` }),
    messageId: `m${String(i).padStart(3, '0')}`,
  }));
  await ingest(fake.db, calls, T0, { forward: true });
  return calls.map((c) => c.messageId);
}
const statuses = async () =>
  (await fake.db.selectFrom('cdp_forward_queue').select('status').execute()).map((r) => r.status);

describe('a database error during a forwarding pass', () => {
  it('while claiming: nothing stays claimed, the next pass sends everything', async () => {
    const all = await queue150();
    // The claim's second statement (who else of these people is pending) fails after its first claimed the rows.
    const db = failOnce(fake.db, (node) => selectsColumn(node, 'person_key'));
    const now = Date.now();
    await expect(deliverDue(db, fake.target, now)).rejects.toThrow(/database is locked/);
    expect(upstream.received).toEqual([]);

    expect(await deliverDue(db, fake.target, now + 1_000)).toMatchObject({ sent: 150 });
    expect(upstream.accepted()).toEqual(all);
  });

  it('while marking a delivered batch sent: it is marked sent, never sent again; the rest goes at once', async () => {
    const all = await queue150();
    const db = failOnce(fake.db, (node) => setsColumn(node, 'sent_at'));
    const now = Date.now();
    await expect(deliverDue(db, fake.target, now)).rejects.toThrow(/database is locked/);
    expect(upstream.accepted()).toEqual(all.slice(0, 100));

    expect(await deliverDue(db, fake.target, now + 1_000)).toMatchObject({ sent: 50 });
    expect(await deliverDue(db, fake.target, now + CLAIM_RUNS_OUT)).toMatchObject({ sent: 0 });
    expect(upstream.accepted()).toEqual(all);
    expect(new Set(await statuses())).toEqual(new Set(['sent']));
  });

  it('while the database stays down: the pass’s rows are settled by the next pass once it is back', async () => {
    const all = await queue150();
    let state: 'up' | 'down' | 'back' = 'up';
    const db = failQueries(fake.db, (node) => {
      if (state === 'up' && setsColumn(node, 'sent_at')) state = 'down'; // from the first "sent" mark on
      return state === 'down';
    });
    const now = Date.now();
    await expect(deliverDue(db, fake.target, now)).rejects.toThrow(/database is locked/);
    // Still down: the next pass claims nothing (it would send the delivered batch again once the claim ran out).
    await expect(deliverDue(db, fake.target, now + 1_000)).rejects.toThrow(/database is locked/);
    expect(upstream.accepted()).toEqual(all.slice(0, 100));

    state = 'back';
    expect(await deliverDue(db, fake.target, now + 2_000)).toMatchObject({ sent: 50 });
    expect(await deliverDue(db, fake.target, now + CLAIM_RUNS_OUT)).toMatchObject({ sent: 0 });
    expect(upstream.accepted()).toEqual(all);
    expect(new Set(await statuses())).toEqual(new Set(['sent']));
  });
});

describe('the forwarder after a failed pass', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = { ...saved };
    resetEnvCache();
  });
  // A run can still be finishing when a test has seen its calls arrive (marking them sent comes after); the next test's
  // kicks would join it, and it would go on with this test's database, released by then. Each test waits for it.
  afterEach(async () => {
    await (globalThis as { __cdpForwarding?: Promise<unknown> }).__cdpForwarding?.catch(() => undefined);
  });

  it('tries again within seconds, not at the next minute tick', async () => {
    Object.assign(process.env, { CIO_WRITE_KEY: 'cio-key', CIO_API_HOST: fake.target.url.replace('/v1/batch', '') });
    resetEnvCache();
    const all = await queue150();
    const db = failOnce(fake.db, (node) => selectsColumn(node, 'person_key'));
    await expect(flushForwardQueue(db)).rejects.toThrow(/database is locked/);
    // The retry's backoff after a first failure is 0.5–1 s; the minute tick is far off.
    await vi.waitFor(() => expect(upstream.accepted()).toEqual(all), { timeout: 10_000, interval: 100 });
  });

  it('logs a failed run once, however many ingest requests kicked it meanwhile', async () => {
    Object.assign(process.env, { CIO_WRITE_KEY: 'cio-key', CIO_API_HOST: fake.target.url.replace('/v1/batch', '') });
    resetEnvCache();
    const all = await queue150();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const db = failOnce(fake.db, (node) => selectsColumn(node, 'person_key'));
    // The first kick starts the run; the others, as concurrent requests do, join it.
    for (let i = 0; i < 20; i++) kickForwarder(db);
    await vi.waitFor(() => expect(upstream.accepted()).toEqual(all), { timeout: 10_000, interval: 100 });
    expect(logged.mock.calls.filter(([text]) => text === '[cdp] forwarding failed')).toHaveLength(1);
    logged.mockRestore();
  });
});
