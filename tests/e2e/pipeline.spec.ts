import crypto from 'node:crypto';
import { Analytics } from '@customerio/cdp-analytics-node';
import { expect, test } from './support/test';
import {
  anonymousResponse,
  clockMoveResponse,
  clockResponse,
  opsErrorResponse,
  peopleResponse,
  personResponse,
  qualityResponse,
  rejectionsResponse,
  timelineResponse,
} from '@/lib/cdp/ops/contract';
import { planProperties } from './support/plan-fixtures';
import { ops } from './support/tracking';

// The local pipeline over HTTP against the production build: the real node SDK, browser-shaped requests,
// and assertions through the ops JSON API.
const WRITE_KEY = process.env.E2E_WRITE_KEY!;
const OPS = { Authorization: `Bearer ${process.env.E2E_OPS_TOKEN}` };
const basicAuth = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const uid = () => crypto.randomUUID();

/** A browser-SDK-shaped call: text/plain body, write key in the body, library analytics.js. */
function browserCall(fields: Record<string, unknown>) {
  return {
    messageId: uid(),
    context: { library: { name: 'analytics.js', version: 'next-test' } },
    properties: {},
    writeKey: WRITE_KEY,
    ...fields,
  };
}

let analytics: Analytics;
let origin: string;
test.beforeAll(({ baseURL }) => {
  origin = baseURL!;
  // The SDK builds its URL with new URL(path, host): an absolute path replaces any path in host.
  // The shop's server: the secret server write key, which the pipeline trusts (the public one it would not).
  analytics = new Analytics({
    writeKey: process.env.E2E_SERVER_WRITE_KEY!,
    host: baseURL!,
    path: '/api/cdp/v1/batch',
    flushInterval: 20,
    maxRetries: 0,
  });
});
test.afterAll(() => analytics.closeAndFlush());

/** Resolves once the SDK's batch carrying this call was answered 2xx (its callback), rejects otherwise. */
const delivered = (send: (cb: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => send((err) => (err ? reject(err) : resolve())));

test('the node SDK: anonymous tracks, then an identify with the same anonymous id, give a stitched timeline', async ({
  request,
}) => {
  const anonymousId = uid();
  const userId = `cus_${uid().slice(0, 12)}`;
  await delivered((cb) =>
    analytics.track({ anonymousId, event: 'Product Viewed', properties: planProperties('Product Viewed', origin) }, cb),
  );
  await delivered((cb) =>
    analytics.track({ anonymousId, event: 'Added to Cart', properties: planProperties('Added to Cart', origin) }, cb),
  );
  await delivered((cb) => analytics.identify({ userId, anonymousId, traits: { email: `${userId}@example.com` } }, cb));

  const { events } = await ops(request, `people/${userId}/timeline`, timelineResponse);
  expect(events.map((e) => [e.name ?? e.type, e.stitched, e.anonymous_id])).toEqual([
    ['Product Viewed', true, anonymousId],
    ['Added to Cart', true, anonymousId],
    ['identify', false, anonymousId],
  ]);
  expect(events.every((e) => e.sources.join() === 'server')).toBe(true);

  const { people } = await ops(request, `people?email=${userId.toUpperCase()}@EXAMPLE.COM`, peopleResponse);
  expect(people).toMatchObject([{ id: userId, anonymous_ids: [anonymousId], event_count: 3 }]);
  const { person } = await ops(request, `people/${userId}`, personResponse);
  expect(person).toMatchObject({ email: `${userId}@example.com`, merged_from: [] });

  // The same timeline a page at a time: the cursor leads through every event once, in order, and ends in null.
  const first = await ops(request, `people/${userId}/timeline?limit=2`, timelineResponse);
  expect(first.events.map((e) => e.seq)).toEqual(events.slice(0, 2).map((e) => e.seq));
  const rest = await ops(
    request,
    `people/${userId}/timeline?limit=2&cursor=${encodeURIComponent(first.next_cursor!)}`,
    timelineResponse,
  );
  expect(rest).toMatchObject({ events: [{ seq: events[2]!.seq }], next_cursor: null });
  const forged = await request.get(`/api/ops/people/${userId}/timeline?cursor=not-a-cursor`, { headers: OPS });
  expect(forged.status()).toBe(400);
  expect(opsErrorResponse.parse(await forged.json()).error).toMatch(/cursor/);
});

test('the same messageId from the browser and the server is stored once, with both sources', async ({ request }) => {
  const anonymousId = uid();
  const messageId = uid();
  const res = await request.post('/api/cdp/v1/t', {
    headers: { 'Content-Type': 'text/plain' },
    data: JSON.stringify(
      browserCall({
        type: 'track',
        event: 'Checkout Started',
        anonymousId,
        messageId,
        properties: planProperties('Checkout Started', origin),
      }),
    ),
  });
  expect(res.status()).toBe(200);
  await delivered((cb) =>
    analytics.track(
      { anonymousId, messageId, event: 'Checkout Started', properties: planProperties('Checkout Started', origin) },
      cb,
    ),
  );

  const { events, person_id } = await ops(request, `anonymous/${anonymousId}`, anonymousResponse);
  expect(person_id).toBeNull();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ name: 'Checkout Started', sources: ['client', 'server'], seen_count: 2 });
});

test('a browser batch (/b) of 20 events is stored whole, with CORS for the shop origin', async ({
  request,
  baseURL,
}) => {
  const anonymousId = uid();
  const batch = Array.from({ length: 20 }, (_, i) =>
    browserCall({
      type: 'track',
      event: 'Product Viewed',
      anonymousId,
      properties: { ...planProperties('Product Viewed', origin), position: i },
    }),
  );
  const res = await request.post('/api/cdp/v1/b', {
    headers: { 'Content-Type': 'text/plain', Origin: baseURL! },
    data: JSON.stringify({ batch, writeKey: WRITE_KEY }),
  });
  expect(res.status()).toBe(200);
  expect(res.headers()['access-control-allow-origin']).toBe(baseURL);
  expect(await res.json()).toMatchObject({ stored: 20, duplicates: 0 });
  const { events } = await ops(request, `anonymous/${anonymousId}`, anonymousResponse);
  expect(events.map((e) => e.properties.position as number).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
});

test('answers CORS preflights for the shop and refuses foreign origins', async ({ request, baseURL }) => {
  const preflight = await request.fetch('/api/cdp/v1/t', {
    method: 'OPTIONS',
    headers: { Origin: baseURL!, 'Access-Control-Request-Method': 'POST' },
  });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()['access-control-allow-origin']).toBe(baseURL);
  const foreign = await request.post('/api/cdp/v1/t', {
    headers: { Origin: 'https://evil.example' },
    data: JSON.stringify(browserCall({ event: 'X', anonymousId: uid() })),
  });
  expect(foreign.status()).toBe(403);
});

test('in strict mode (X-Strict-Mode: 1) bad requests get clear 4xx answers and store nothing', async ({ request }) => {
  const anonymousId = uid();
  const call = { type: 'track', event: 'Product Viewed', anonymousId, messageId: uid() };
  const post = (path: string, data: string, headers: Record<string, string> = {}) =>
    // A Buffer is sent byte for byte (a string with a JSON content type would be JSON-encoded again).
    request.post(`/api/cdp/v1/${path}`, {
      headers: {
        'Content-Type': 'application/json',
        Authorization: basicAuth(WRITE_KEY),
        'X-Strict-Mode': '1',
        ...headers,
      },
      data: Buffer.from(data),
    });

  const wrongKey = await post('batch', JSON.stringify({ batch: [call] }), { Authorization: basicAuth('not-the-key') });
  expect(wrongKey.status()).toBe(401);
  expect((await wrongKey.json()).error).toBe('Invalid write key');
  expect((await post('t', JSON.stringify({ ...call, writeKey: 'nope' }), { Authorization: '' })).status()).toBe(401);

  const malformed = await post('batch', '{"batch": [');
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error).toMatch(/not valid JSON/);

  const oversize = await post(
    'batch',
    JSON.stringify({ batch: [{ ...call, properties: { blob: 'x'.repeat(600 * 1024) } }] }),
  );
  expect(oversize.status()).toBe(413);
  expect((await oversize.json()).error).toMatch(/500 KB/);

  const blankMessageId = await post('batch', JSON.stringify({ batch: [{ ...call, messageId: ' ' }] }));
  expect(blankMessageId.status()).toBe(400);
  expect((await blankMessageId.json()).problems).toEqual([
    { path: 'batch.0.messageId', message: 'messageId must not be blank' },
  ]);

  expect((await ops(request, `anonymous/${anonymousId}`, anonymousResponse)).events).toEqual([]);
});

test('permissive by default, like Customer.io: a wrong key or a bad call is answered 200 and recorded', async ({
  request,
}) => {
  const anonymousId = uid();
  const call = { type: 'track', event: 'Product Viewed', anonymousId, messageId: uid() };
  const wrongKey = await request.post('/api/cdp/v1/track', {
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth('not-the-key') },
    data: Buffer.from(JSON.stringify(call)),
  });
  expect(wrongKey.status()).toBe(200);
  expect(await wrongKey.json()).toMatchObject({ stored: 0, rejected: 1 });
  expect((await ops(request, `anonymous/${anonymousId}`, anonymousResponse)).events).toEqual([]);
  const { rejections } = await ops(request, 'rejections?reason=write_key', rejectionsResponse);
  expect(rejections.find((r) => r.call.includes(call.messageId))).toMatchObject({
    endpoint: 'track',
    problems: [{ message: 'Invalid write key' }],
  });
});

test('the node SDK keeps the valid call of a batch whose other call is invalid; the invalid one is recorded', async ({
  request,
}) => {
  const anonymousId = uid();
  const overLong = `${uid()}${'x'.repeat(300)}`;
  await Promise.all([
    delivered((cb) =>
      analytics.track(
        { anonymousId, event: 'Product Viewed', properties: planProperties('Product Viewed', origin) },
        cb,
      ),
    ),
    delivered((cb) => analytics.track({ userId: overLong, event: 'Product Viewed', properties: {} }, cb)),
  ]);
  const { events } = await ops(request, `anonymous/${anonymousId}`, anonymousResponse);
  expect(events.map((e) => e.name)).toEqual(['Product Viewed']);
  const { rejections } = await ops(request, 'rejections?reason=invalid', rejectionsResponse);
  const refused = rejections.find((r) => r.call.includes(overLong.slice(0, 36)));
  expect(refused).toMatchObject({
    endpoint: 'batch',
    strict: false,
    problems: [
      { path: expect.stringMatching(/^batch\.\d+\.userId$/), message: 'userId must be at most 255 characters' },
    ],
  });
});

test('the ops API needs the token; the manual clock jumps through it', async ({ request }) => {
  expect((await request.get('/api/ops/people')).status()).toBe(401);
  expect((await request.get('/api/ops/people', { headers: { Authorization: 'Bearer wrong-token' } })).status()).toBe(
    401,
  );
  const nobody = await request.get('/api/ops/people/cus_nobody', { headers: OPS });
  expect(nobody.status()).toBe(404);
  expect(opsErrorResponse.parse(await nobody.json()).error).toBe('No person with id cus_nobody');

  // Between the two calls the manual clock also runs on at wall speed: by exactly the wall time that passed
  // between them, which lies within the wall time measured around both (same machine, same clock).
  const wallBefore = Date.now();
  const before = await ops(request, 'clock', clockResponse);
  expect(before.mode).toBe('manual');
  const moved = await request.post('/api/ops/clock', { headers: OPS, data: { advance: '1m' } });
  expect(moved.status()).toBe(200);
  const jumped = Date.parse(clockMoveResponse.parse(await moved.json()).now) - Date.parse(before.now);
  const wallBetween = Date.now() - wallBefore;
  expect(jumped).toBeGreaterThanOrEqual(60_000);
  expect(jumped - 60_000, 'the jump is 1m plus the wall time between the calls').toBeLessThanOrEqual(wallBetween);
  const bad = await request.post('/api/ops/clock', { headers: OPS, data: { advance: 'soon' } });
  expect(bad.status()).toBe(400);
  expect(opsErrorResponse.parse(await bad.json()).problems?.[0]?.message).toMatch(/duration/);

  // A misspelt or unknown key is named in a 400, and a move back is refused unless asked for: neither moves it.
  const refusals = [
    { data: { advance: '1h', advanced: '4h' }, problem: /Unrecognized key: "advanced"/ },
    { data: { set: new Date(Date.parse(before.now) - 86_400_000).toISOString() }, error: /only moves forward/ },
    { data: { advance: '1h', rewind: true }, problem: /rewind goes with set/ },
  ];
  for (const { data, problem, error } of refusals) {
    const refused = await request.post('/api/ops/clock', { headers: OPS, data });
    expect(refused.status(), JSON.stringify(data)).toBe(400);
    const answer = opsErrorResponse.parse(await refused.json());
    if (problem) expect(answer.problems?.map((p) => p.message).join('; ')).toMatch(problem);
    if (error) expect(answer.error).toMatch(error);
  }
  const after = await ops(request, 'clock', clockResponse);
  expect(Date.parse(after.now) - Date.parse(before.now), 'only the 1m move moved it').toBeLessThan(3_600_000);
});

test('data quality reports drifted names without rejecting the events', async ({ request }) => {
  const res = await request.post('/api/cdp/v1/t', {
    headers: { 'Content-Type': 'text/plain' },
    data: JSON.stringify(browserCall({ type: 'track', event: 'add_to_cart', anonymousId: uid() })),
  });
  expect(res.status()).toBe(200);
  const { events } = await ops(request, 'quality', qualityResponse);
  const drifted = events.find((e) => e.name === 'add_to_cart');
  expect(drifted).toMatchObject({ canonical_name: 'Added to Cart', violations: { drifted_name: drifted!.count } });
});
