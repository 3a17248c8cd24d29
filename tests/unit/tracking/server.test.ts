import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdentityGuardError } from '@/lib/tracking/identity';
import { TrackingPlanError } from '@/lib/tracking/enforce';
import { resetLogOnce } from '@/lib/tracking/log';
import { createServerTracker, readRequestAnonymousId } from '@/lib/tracking/server';

const ANON = '9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const CUSTOMER = 'cus_4f9Kx2LmQ8vTz1Ab';

type Received = { url: string; auth: string | undefined; body: { batch: Array<Record<string, unknown>> } };
let received: Received[] = [];
let server: http.Server;
let origin: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(data) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  resetLogOnce();
  vi.restoreAllMocks();
});

const tracker = (over: Partial<Parameters<typeof createServerTracker>[0]> = {}) =>
  createServerTracker({ writeKey: 'test-key', host: origin, path: '/api/cdp/v1/batch', strict: true, ...over });

describe('server tracker', () => {
  it('mirrors an event with the given messageId to {host}{path}, delivered by the time the call resolves', async () => {
    const result = await tracker().mirror(
      'Quiz Started',
      { quiz_id: 'skin-v1' },
      { messageId: 'mid-42', anonymousId: ANON },
    );
    expect(result).toMatchObject({ sent: true, messageId: 'mid-42' });
    expect(await result.delivered).toBe(true);
    expect(received).toHaveLength(1);
    const [call] = received;
    expect(call!.body.batch).toHaveLength(1);
    expect(call!.url).toBe('/api/cdp/v1/batch');
    expect(call!.auth).toBe(`Basic ${Buffer.from('test-key:').toString('base64')}`);
    expect(call!.body.batch[0]).toMatchObject({
      type: 'track',
      event: 'Quiz Started',
      messageId: 'mid-42',
      anonymousId: ANON,
      properties: { quiz_id: 'skin-v1', schema_version: 1 },
    });
  });

  it('sends each call in a request of its own, never held back to fill a batch', async () => {
    const t = tracker();
    const first = await t.trackServerOnly('Quiz Started', { quiz_id: 'one' }, { anonymousId: ANON });
    const second = await t.trackServerOnly('Quiz Started', { quiz_id: 'two' }, { anonymousId: ANON });
    expect(await Promise.all([first.delivered, second.delivered])).toEqual([true, true]);
    // Two requests of one event each (in either order: they may travel side by side).
    const batches = received.map((r) => r.body.batch.map((e) => (e.properties as { quiz_id: string }).quiz_id));
    expect(batches.toSorted()).toEqual([['one'], ['two']]);
  });

  it('adds the signed-in customer from resolveUserId', async () => {
    const t = tracker({ resolveUserId: async () => CUSTOMER });
    const result = await t.trackServerOnly('Logged In', { method: 'password' }, { anonymousId: ANON });
    await result.delivered;
    expect(received[0]!.body.batch[0]).toMatchObject({ userId: CUSTOMER, anonymousId: ANON, event: 'Logged In' });
    expect(result.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('asks resolveUserId only when the caller did not say: a userId of null is an anonymous shopper, looked up once', async () => {
    const resolveUserId = vi.fn(async () => CUSTOMER);
    const t = tracker({ resolveUserId });
    await (
      await t.mirror('Quiz Started', { quiz_id: 'a' }, { messageId: 'm-null', anonymousId: ANON, userId: null })
    ).delivered;
    expect(resolveUserId).not.toHaveBeenCalled();
    expect(received[0]!.body.batch[0]).not.toHaveProperty('userId');
    await (
      await t.mirror('Quiz Started', { quiz_id: 'b' }, { messageId: 'm-unset', anonymousId: ANON })
    ).delivered;
    expect(resolveUserId).toHaveBeenCalledTimes(1);
  });

  it('reuses one client per endpoint across trackers (one per process)', async () => {
    await (
      await tracker().trackServerOnly('Quiz Started', { quiz_id: 'a' }, { anonymousId: ANON })
    ).delivered;
    await (
      await tracker().trackServerOnly('Quiz Started', { quiz_id: 'b' }, { anonymousId: ANON })
    ).delivered;
    const registry = (globalThis as unknown as Record<symbol, Map<string, unknown>>)[
      Symbol.for('tracking.node-analytics-clients')
    ];
    expect([...registry!.keys()].filter((k) => k.startsWith(origin))).toHaveLength(1);
  });

  it('throws on a plan violation in strict mode, drops it otherwise', async () => {
    const bad = { quiz_id: 7 } as unknown as { quiz_id: string };
    await expect(tracker().mirror('Quiz Started', bad, { messageId: 'm', anonymousId: ANON })).rejects.toBeInstanceOf(
      TrackingPlanError,
    );
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const result = await tracker({ strict: false }).mirror('Quiz Started', bad, { messageId: 'm', anonymousId: ANON });
    expect(result.sent).toBe(false);
    expect(received).toHaveLength(0);
  });

  it('skips quietly when there is no identity (outside a request, no cookie)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await readRequestAnonymousId()).toBeNull();
    const result = await tracker().trackServerOnly('Quiz Started', { quiz_id: 'q' });
    expect(result.sent).toBe(false);
    expect(await result.delivered).toBe(false);
  });

  it('never throws network failures into the caller', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = createServerTracker({ writeKey: 'k', host: 'http://127.0.0.1:9', path: '/v1/batch', strict: true });
    const result = await t.trackServerOnly('Quiz Started', { quiz_id: 'q' }, { anonymousId: ANON });
    expect(result.sent).toBe(true);
    expect(await result.delivered).toBe(false);
  }, 15_000);

  it('identifies from the server with the canonical id and the anonymous id, guarded', async () => {
    const t = tracker();
    const ok = await t.identifyServer(CUSTOMER, { email: 'ada@example.com' }, { anonymousId: ANON });
    expect(await ok.delivered).toBe(true);
    expect(received[0]!.body.batch[0]).toMatchObject({
      type: 'identify',
      userId: CUSTOMER,
      anonymousId: ANON,
      traits: { email: 'ada@example.com' },
    });
    await expect(t.identifyServer('ada@example.com', {}, { anonymousId: ANON })).rejects.toBeInstanceOf(
      IdentityGuardError,
    );
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect((await tracker({ strict: false }).identifyServer(ANON, {}, { anonymousId: ANON })).sent).toBe(false);
    expect(received).toHaveLength(1);
  });
});
