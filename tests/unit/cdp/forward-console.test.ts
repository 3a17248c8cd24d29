import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb, type DB } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { GET } from '@/app/api/ops/forwarding/route';
import { POST } from '@/app/api/ops/forwarding/replay/route';
import { GET as shopEventsGET } from '@/app/api/ops/shop-events/route';
import { POST as shopEventsReplay } from '@/app/api/ops/shop-events/replay/route';
import { deliverDue, type ForwardTarget } from '@/lib/cdp/forward/deliver';
import { OPS_COOKIE, OPS_SESSION_TTL_MS, opsToken } from '@/lib/cdp/ops/console-access';
import { forwardingResponse, replayResponse, opsErrorResponse, shopEventsResponse } from '@/lib/cdp/ops/contract';
import { createOpsSession } from '@/lib/cdp/store/ops-sessions';
import { endRefusal, pauseForRefusal, pauseForRetryAfter } from '@/lib/cdp/forward/pause';
import { endOutboxPause, pauseOutbox } from '@/lib/shop/server/outbox-pause';
import { freshDatabaseUrl } from '../support/database';
import { fakeUpstream } from './fake-upstream';
import { ingest, T0, track } from './support';

// The console's view of the forward queue and its replay button's route, as the browser reaches them.
const upstream = fakeUpstream();
const saved = { ...process.env };
let target: ForwardTarget;
let db: DB;
beforeAll(async () => {
  target = { url: `${await upstream.start()}/v1/batch`, writeKey: 'cio-key' };
});
afterAll(async () => {
  await dropSharedDb();
  process.env = { ...saved };
  resetEnvCache();
  await upstream.stop();
});
/** getDb() keeps one database per process: each test gets a fresh one. */
async function dropSharedDb() {
  const holder = globalThis as { __shopDb?: Promise<DB> };
  const previous = holder.__shopDb;
  delete holder.__shopDb;
  await (await previous?.catch(() => null))?.destroy();
}
beforeEach(async () => {
  await dropSharedDb();
  Object.assign(process.env, {
    DATABASE_URL: await freshDatabaseUrl(),
    OPS_TOKEN: 'ops-token-for-tests',
    APP_URL: 'http://shop.test',
    CIO_WRITE_KEY: 'cio-key',
    CIO_API_HOST: target.url.replace('/v1/batch', ''),
  });
  resetEnvCache();
  db = await getDb();
  upstream.reset();
});

const URL_ = 'http://shop.test/api/ops/forwarding';
const noParams = { params: Promise.resolve({}) };
const bearer = { authorization: 'Bearer ops-token-for-tests' };

/** One call Customer.io refused (dead letter) and one in backoff after a 503. */
async function deadAndRetrying() {
  const now = Date.now();
  await ingest(db, [{ ...track('Review Written', { userId: 'cus_1' }), messageId: 'bad' }], T0, { forward: true });
  upstream.respondWith({ status: 400, body: '{"error":"properties.rating must be a number"}' });
  await deliverDue(db, target, now);
  await ingest(db, [{ ...track('Product Viewed', { userId: 'cus_2' }), messageId: 'later' }], T0, { forward: true });
  upstream.respondWith(503);
  await deliverDue(db, target, now + 1);
}

describe('the forwarding console API', () => {
  it('shows the dead letters with their count and the upstream’s answer, and the rows in backoff', async () => {
    await deadAndRetrying();
    const response = await GET(new Request(URL_, { headers: bearer }), noParams);
    const state = forwardingResponse.parse(await response.json());
    expect(state.target).toBe(target.url);
    expect(state.counts).toEqual({ pending: 1, sent: 0, dead: 1, held: 0 });
    expect(state.dead).toEqual([
      expect.objectContaining({
        message_id: 'bad',
        type: 'track',
        event: 'Review Written',
        person_key: 'cus_1',
        status: 'dead',
        attempts: 1,
        last_error: expect.stringContaining('properties.rating must be a number'),
        next_attempt_at: null,
      }),
    ]);
    expect(state.retrying.map((r) => [r.message_id, r.status, r.attempts])).toEqual([['later', 'pending', 1]]);
    expect(state.last_error).toMatch(/503/);
  });

  it('shows a row whose attempt is under way as in flight (since, until), not the claim’s expiry as its next try', async () => {
    await deadAndRetrying();
    const state = async () =>
      forwardingResponse.parse(await (await GET(new Request(URL_, { headers: bearer }), noParams)).json()).retrying;
    const [waiting] = await state();
    expect(waiting).toMatchObject({
      in_flight_since: null,
      in_flight_until: null,
      next_attempt_at: expect.any(String),
    });

    // An instance claims it for its next attempt (it is past its backoff by then) and is sending it now.
    const claimAt = Date.parse(waiting!.next_attempt_at!) + 1;
    const { claimDueForwards } = await import('@/lib/cdp/store/forward-queue');
    vi.spyOn(Date, 'now').mockReturnValue(claimAt + 1_000);
    expect(await claimDueForwards(db, claimAt, 60_000)).toHaveLength(1);
    expect(await state()).toEqual([
      expect.objectContaining({
        message_id: 'later',
        next_attempt_at: null,
        in_flight_since: new Date(claimAt).toISOString(),
        in_flight_until: new Date(claimAt + 60_000).toISOString(),
      }),
    ]);
    // That instance died: past the claim's expiry the row is due again, and says so.
    vi.spyOn(Date, 'now').mockReturnValue(claimAt + 61_000);
    expect(await state()).toEqual([
      expect.objectContaining({
        next_attempt_at: new Date(claimAt + 60_000).toISOString(),
        in_flight_since: null,
        in_flight_until: null,
      }),
    ]);
    vi.restoreAllMocks();
  });

  it('replays from the console’s own page only: a cross-site POST with the cookie is refused', async () => {
    await deadAndRetrying();
    const cookie = `${OPS_COOKIE}=${await createOpsSession(db, opsToken(), OPS_SESSION_TTL_MS)}`;
    const replay = (site: string, body: unknown = {}) =>
      POST(
        new Request(`${URL_}/replay`, {
          method: 'POST',
          headers: { cookie, 'sec-fetch-site': site, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
        noParams,
      );

    const refused = await replay('cross-site');
    expect(refused.status).toBe(403);
    const stillDead = await db
      .selectFrom('cdp_forward_queue')
      .select('status')
      .where('message_id', '=', 'bad')
      .execute();
    expect(stillDead).toEqual([{ status: 'dead' }]);

    // Whatever is wrong with an id, the answer says what an id is (not zod's "expected int, received number"); one
    // beyond PostgreSQL's integer is no row either, not a query PostgreSQL refuses with a 500.
    for (const ids of [['bad'], [1.5], [0], [-3], [2 ** 31], [Number.MAX_SAFE_INTEGER], [2 ** 60], 5]) {
      const invalid = await replay('same-origin', { ids });
      expect(invalid.status).toBe(400);
      expect(opsErrorResponse.parse(await invalid.json()).problems).toEqual([
        {
          path: expect.stringMatching(/^ids/),
          message: 'ids must be a list of queue row ids (whole numbers from 1 to 2147483647)',
        },
      ]);
    }

    // By id, all or none: an id that is no row is a 404, one not dead-lettered (in backoff) a 409, and then the
    // dead letter given with it stays dead.
    const rows = await db.selectFrom('cdp_forward_queue').select(['id', 'message_id']).execute();
    const idOf = (messageId: string) => rows.find((r) => r.message_id === messageId)!.id;
    const missing = await replay('same-origin', { ids: [idOf('bad'), 999_999] });
    expect(missing.status).toBe(404);
    expect(opsErrorResponse.parse(await missing.json()).error).toBe('No queue row with id 999999');
    const notDead = await replay('same-origin', { ids: [idOf('bad'), idOf('later')] });
    expect(notDead.status).toBe(409);
    expect(opsErrorResponse.parse(await notDead.json()).error).toContain(`${idOf('later')}`);
    expect(await db.selectFrom('cdp_forward_queue').select('status').where('id', '=', idOf('bad')).execute()).toEqual([
      { status: 'dead' },
    ]);

    const ok = await replay('same-origin');
    expect(replayResponse.parse(await ok.json())).toEqual({ replayed: 1 });
    // The replay starts a pass at once: the call reaches the (now healthy) upstream without waiting for a tick.
    await vi.waitFor(() => expect(upstream.accepted()).toContain('bad'), { timeout: 10_000, interval: 50 });
  });

  it("replays the shop outbox's dead letters with the same auth and semantics (404, 409, all or none)", async () => {
    const row = (message_id: string, status: 'dead' | 'pending') => ({
      message_id,
      payload: JSON.stringify({
        type: 'identify',
        userId: 'cus_4f9Kx2LmQ8vTz1Ab',
        anonymousId: null,
        traits: { unsubscribed: true },
        messageId: message_id,
        timestamp: '2026-03-01T10:00:00.000Z',
      }),
      status,
      attempts: 3,
      next_attempt_at: Date.now() + 60 * 60_000,
      last_error: 'The pipeline did not acknowledge it',
      created_at: '2026-03-01T10:00:00.000Z',
      sent_at: null,
      person_key: 'cus_4f9Kx2LmQ8vTz1Ab',
      failing_since: Date.now() - 86_400_000,
    });
    await db
      .insertInto('shop_event_outbox')
      .values([row('dead-one', 'dead'), row('in-backoff', 'pending')])
      .execute();
    const rows = await db.selectFrom('shop_event_outbox').select(['id', 'message_id']).execute();
    const idOf = (messageId: string) => rows.find((r) => r.message_id === messageId)!.id;
    const cookie = `${OPS_COOKIE}=${await createOpsSession(db, opsToken(), OPS_SESSION_TTL_MS)}`;
    const replay = (headers: Record<string, string>, body: unknown = {}) =>
      shopEventsReplay(
        new Request('http://shop.test/api/ops/shop-events/replay', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        }),
        noParams,
      );
    const statusOf = async (id: number) =>
      (await db.selectFrom('shop_event_outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

    // The console's view lists both, in the forward queue's row shape.
    const view = shopEventsResponse.parse(
      await (
        await shopEventsGET(new Request('http://shop.test/api/ops/shop-events', { headers: bearer }), noParams)
      ).json(),
    );
    expect(view.failing.map((r) => [r.message_id, r.type, r.status])).toEqual([
      ['in-backoff', 'identify', 'pending'],
      ['dead-one', 'identify', 'dead'],
    ]);

    expect((await replay({})).status).toBe(401);
    expect((await replay({ cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const missing = await replay(bearer, { ids: [idOf('dead-one'), 999_999] });
    expect(missing.status).toBe(404);
    expect(opsErrorResponse.parse(await missing.json()).error).toBe('No queue row with id 999999');
    const notDead = await replay(
      { cookie, 'sec-fetch-site': 'same-origin' },
      { ids: [idOf('dead-one'), idOf('in-backoff')] },
    );
    expect(notDead.status).toBe(409);
    expect(await statusOf(idOf('dead-one'))).toBe('dead');

    // The pipeline is reachable again (a stand-in on APP_URL): the replay's pass delivers it without waiting for a tick.
    process.env.APP_URL = new URL(target.url).origin;
    resetEnvCache();
    upstream.reset();
    const ok = await replay({ cookie, 'sec-fetch-site': 'same-origin' }, { ids: [idOf('dead-one')] });
    expect(replayResponse.parse(await ok.json())).toEqual({ replayed: 1 });
    await vi.waitFor(async () => expect(await statusOf(idOf('dead-one'))).toBe('sent'), { timeout: 10_000 });
    expect(upstream.accepted()).toEqual(['dead-one']);
    expect(await statusOf(idOf('in-backoff'))).toBe('pending');
  });

  it("reports forwarding's pause (a refused key, a Retry-After) and the shop outbox's, null otherwise", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'info').mockImplementation(() => {});
    const iso = (ms: number) => new Date(ms).toISOString();
    const get = async (url: string, route: typeof GET) =>
      (await route(new Request(url, { headers: bearer }), noParams)).json();
    const forwarding = async () => forwardingResponse.parse(await get(URL_, GET)).paused;
    const shop = async () =>
      shopEventsResponse.parse(await get('http://shop.test/api/ops/shop-events', shopEventsGET)).paused;
    expect(await forwarding()).toBeNull();
    expect(await shop()).toBeNull();

    const at = Date.now();
    pauseForRefusal(at, 401, 'Customer.io answered 401 Unauthorized (check CIO_WRITE_KEY)');
    pauseForRefusal(at + 60_000, 401, 'Customer.io answered 401 Unauthorized (check CIO_WRITE_KEY)');
    expect(await forwarding()).toEqual({
      kind: 'refused',
      status: 401,
      headline: 'Customer.io refused the write key',
      error: 'Customer.io answered 401 Unauthorized (check CIO_WRITE_KEY)',
      since: iso(at),
      at: iso(at + 60_000),
      next_try_at: iso(at + 3 * 60_000),
      refusals: 2,
    });
    endRefusal(at + 3 * 60_000);
    pauseForRetryAfter(at + 30_000);
    expect(await forwarding()).toEqual({ kind: 'retry-after', until: iso(at + 30_000) });
    pauseForRetryAfter(0);
    expect(await forwarding()).toBeNull();

    pauseOutbox(at, 403, 'The pipeline at http://shop.test/api/cdp/v1/batch answered 403 Forbidden');
    expect(await shop()).toEqual({
      status: 403,
      error: 'The pipeline at http://shop.test/api/cdp/v1/batch answered 403 Forbidden',
      since: iso(at),
      at: iso(at),
      next_try_at: iso(at + 60_000),
      refusals: 1,
    });
    endOutboxPause(at);
    expect(await shop()).toBeNull();
    vi.restoreAllMocks();
  });
});
