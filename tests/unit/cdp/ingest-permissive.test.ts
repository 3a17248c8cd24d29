import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { rejectionsResponse } from '@/lib/cdp/ops/contract';
import { handleIngest } from '@/lib/cdp/ops/ingest-route';
import { listRejections } from '@/lib/cdp/read/rejections';
import { purgeRejections, recordRejections } from '@/lib/cdp/store/rejections';
import { DAY } from '@/lib/common/duration';
import { DELETE_CHUNK_ROWS } from '@/lib/db/delete-in-chunks';
import { getAnonymousActivity } from '@/lib/cdp/read/timeline';
import { call, track, ingestRouteSuite } from './support';

// The ingest route as a client sees it (issue 10 §1): Customer.io answers 200 to invalid calls and wrong keys
// unless the request sends X-Strict-Mode: 1, so here too; every refused call is recorded with its reason.
const KEY = 'permissive-browser-key';
const SERVER_KEY = 'permissive-server-key';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const route = ingestRouteSuite({ CDP_WRITE_KEY: KEY, CDP_SERVER_WRITE_KEY: SERVER_KEY });
let db: DB;
beforeAll(() => {
  db = route.db();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await handleIngest(
    new Request(`http://127.0.0.1/api/cdp/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(SERVER_KEY), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    path.split('/'),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const STRICT = { 'x-strict-mode': '1' };
const eventsOf = async (anonymousId: string) => (await getAnonymousActivity(db, anonymousId)).events;
const rejectionOf = async (messageId: unknown) =>
  (await listRejections(db, { limit: 500 })).rejections.find((r) => r.message_id === messageId);

describe('permissive by default, strict on request', () => {
  it('stores the valid calls of a batch and records the invalid one, answering 200; strict mode refuses all', async () => {
    const valid = track('Product Viewed', { anonymousId: 'p1' });
    const tooLong = track('Product Viewed', { userId: 'u'.repeat(256) });
    const permissive = await post('batch', { batch: [valid, tooLong] });
    expect(permissive).toEqual({
      status: 200,
      body: { success: true, stored: 1, duplicates: 0, forwarded: 0, rejected: 1 },
    });
    expect((await eventsOf('p1')).map((e) => e.message_id)).toEqual([valid.messageId]);
    expect(await rejectionOf(tooLong.messageId)).toMatchObject({
      endpoint: 'batch',
      reason: 'invalid',
      strict: false,
      problems: [{ path: 'batch.1.userId', message: 'userId must be at most 255 characters' }],
      call: expect.stringContaining('"userId":"uuu'),
    });

    const strictValid = track('Product Viewed', { anonymousId: 'p2' });
    const strictBad = track('Product Viewed', { userId: 'u'.repeat(256) });
    const strict = await post('batch', { batch: [strictValid, strictBad] }, STRICT);
    expect(strict.status).toBe(400);
    expect(strict.body.problems).toEqual([
      { path: 'batch.1.userId', message: 'userId must be at most 255 characters' },
    ]);
    expect(await eventsOf('p2')).toEqual([]);
    expect(await rejectionOf(strictBad.messageId)).toMatchObject({ reason: 'invalid', strict: true });
  });

  it('records an event name or page name over 200 characters with that reason, not "must be a string"', async () => {
    const longEvent = track('E'.repeat(201), { anonymousId: 'p3' });
    expect((await post('t', longEvent)).body).toMatchObject({ stored: 0, rejected: 1 });
    expect((await rejectionOf(longEvent.messageId))?.problems).toEqual([
      { path: 'event', message: 'event must be at most 200 characters' },
    ]);
    const longName = call('page', { anonymousId: 'p3', name: 'N'.repeat(201) });
    expect((await post('p', longName)).body).toMatchObject({ stored: 0, rejected: 1 });
    expect((await rejectionOf(longName.messageId))?.problems).toEqual([
      { path: 'name', message: 'name must be at most 200 characters' },
    ]);
  });

  it('answers a wrong or missing key with 200 and stores nothing, recording it; 401 in strict mode', async () => {
    const batch = { batch: [track('Product Viewed', { anonymousId: 'k1' })] };
    const before = (await listRejections(db)).by_reason.write_key ?? 0;
    expect(await post('batch', batch, { authorization: basic('nope') })).toEqual({
      status: 200,
      body: { success: true, stored: 0, duplicates: 0, forwarded: 0, rejected: 1 },
    });
    expect((await post('batch', batch, { authorization: '' })).status).toBe(200);
    const strict = await post('batch', batch, { authorization: basic('nope'), ...STRICT });
    expect(strict).toEqual({ status: 401, body: { error: 'Invalid write key' } });
    expect(await eventsOf('k1')).toEqual([]);
    const after = await listRejections(db, { reason: 'write_key' });
    expect(after.by_reason.write_key).toBe(before + 3);
    expect(after.rejections[0]).toMatchObject({ strict: true, problems: [{ message: 'Invalid write key' }] });
  });

  it('records calls it cannot store (lone surrogates, over 32 KB) and keeps their neighbours', async () => {
    const lone = track('Lone', { anonymousId: 'h1', properties: { note: 'x\ud800' } });
    const big = track('Big', { anonymousId: 'h1', properties: { blob: 'x'.repeat(33 * 1024) } });
    const ok = track('Product Viewed', { anonymousId: 'h1' });
    const answer = await post('b', { batch: [lone, big, ok], writeKey: KEY }, { authorization: '' });
    expect(answer.body).toMatchObject({ stored: 1, rejected: 2 });
    expect((await eventsOf('h1')).map((e) => e.name)).toEqual(['Product Viewed']);
    // Stored escaped, so it reads back the same on SQLite and PostgreSQL.
    expect((await rejectionOf(lone.messageId))?.call).toContain('"note":"x\\ud800"');
    expect((await rejectionOf(big.messageId))?.call.length).toBeLessThanOrEqual(4096);
    expect((await post('b', { batch: [big], writeKey: KEY }, { authorization: '', ...STRICT })).status).toBe(413);
  });

  it('refuses a body nested past 32 levels in a call whole, unparsed, in both modes: 400, nothing stored', async () => {
    const deep = track('Deep', {
      anonymousId: 'h2',
      properties: { deep: JSON.parse('['.repeat(40) + ']'.repeat(40)) },
    });
    const ok = track('Product Viewed', { anonymousId: 'h2' });
    const before = (await listRejections(db)).total;
    for (const headers of [{ authorization: '' }, { authorization: '', ...STRICT }]) {
      const answer = await post('b', { batch: [ok, deep], writeKey: KEY }, headers);
      expect(answer).toEqual({
        status: 400,
        body: { error: 'A call is nested deeper than 32 levels (arrays and objects): flatten it; nothing was stored' },
      });
    }
    // The review's body: a quarter of a million levels, no key; refused before JSON.parse would spend 0.2 s on it.
    const flood = '{"batch":' + '['.repeat(255_000) + ']'.repeat(255_000) + '}';
    expect((await post('b', flood, { authorization: '' })).status).toBe(400);
    expect(await eventsOf('h2')).toEqual([]);
    expect((await listRejections(db)).total).toBe(before);
  });

  it('refuses a batch whose shared context would be stored over 500 KB of copies, whole, in both modes: 413', async () => {
    const body = {
      batch: Array(8000).fill({ type: 'track', event: 'E', anonymousId: 'amp-1' }),
      context: { pad: 'x'.repeat(30 * 1024) },
      writeKey: KEY,
    };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(500 * 1024);
    const before = (await listRejections(db)).total;
    for (const headers of [{ authorization: '' }, { authorization: '', ...STRICT }]) {
      const answer = await post('b', body, headers);
      expect(answer.status).toBe(413);
      expect(answer.body.error).toMatch(/^The batch's context and integrations \(31 KB\) apply to each of its 8000/);
    }
    expect(await eventsOf('amp-1')).toEqual([]);
    expect((await listRejections(db)).total).toBe(before);
  });

  it('refuses a batch of more than 2,500 calls, whole, in both modes: 413 (500 KB of tiny calls held the server seconds)', async () => {
    // The review's body: ~240,000 refused calls in 470 KB, each of which was checked and recorded (3.7 s).
    const junk = { batch: Array(240_000).fill(1), writeKey: KEY };
    // Small calls, so 2,501 fit in 500 KB: what is refused is their number.
    const calls = (n: number, id: string) =>
      Array.from({ length: n }, (_, i) => ({ type: 'track', event: 'E', anonymousId: id, messageId: `${id}-${i}` }));
    const before = (await listRejections(db)).total;
    // With the server key, which no rate limit holds back: the cap is the request's, whatever the key.
    for (const headers of [{}, STRICT]) {
      for (const body of [junk, { batch: calls(2_501, 'many-1'), writeKey: KEY }]) {
        const answer = await post('b', body, headers);
        expect(answer.status).toBe(413);
        expect(answer.body.error).toMatch(/^The batch has (240000|2501) calls; a batch request takes at most 2,500/);
      }
    }
    expect(await eventsOf('many-1')).toEqual([]);
    expect((await listRejections(db)).total).toBe(before);
    // 2,500 is still a batch.
    expect((await post('b', { batch: calls(2_500, 'many-2'), writeKey: KEY })).body).toMatchObject({ stored: 2_500 });
  });

  it('names the call a refusal raised while storing is about by its place in the batch, as parsing does', async () => {
    const tooLong = track('Product Viewed', { anonymousId: 'n1', userId: 'u'.repeat(256) });
    const ok = track('Product Viewed', { anonymousId: 'n1' });
    const deletion = track('User Deleted', { anonymousId: 'n1', userId: 'cus_n1' });
    const browser = { authorization: '' };
    const permissive = await post('b', { batch: [tooLong, ok, deletion], writeKey: KEY }, browser);
    expect(permissive.body).toMatchObject({ stored: 1, rejected: 2 });
    expect((await rejectionOf(tooLong.messageId))?.problems).toEqual([
      { path: 'batch.0.userId', message: 'userId must be at most 255 characters' },
    ]);
    expect((await rejectionOf(deletion.messageId))?.problems).toEqual([
      { path: 'batch.2.event', message: 'User Deleted is accepted only with the server write key' },
    ]);

    const named = track('Product Viewed', { userId: 'cus_n2' });
    const strict = await post('batch', { batch: [ok, named], writeKey: KEY }, { ...browser, ...STRICT });
    expect(strict).toMatchObject({ status: 400, body: { problems: [{ path: 'batch.1.userId' }] } });
    expect((await rejectionOf(named.messageId))?.problems).toEqual([
      {
        path: 'batch.1.userId',
        message: 'a userId without an anonymousId is accepted only with the server write key',
      },
    ]);
    // A single call is the body itself: no place to name.
    const single = track('Product Viewed', { userId: 'cus_n3' });
    expect((await post('t', { ...single, writeKey: KEY }, browser)).body).toMatchObject({ rejected: 1 });
    expect((await rejectionOf(single.messageId))?.problems).toMatchObject([{ path: 'userId' }]);
  });
});

/** Track calls of one anonymous id, each stamped `timestamp` and sent without sentAt (taken as given). */
const timedCalls = (anonymousId: string) => (timestamp: unknown, messageId: string) => ({
  ...call('track', { event: 'Product Viewed', anonymousId, timestamp }),
  messageId,
  sentAt: undefined,
});

describe("Customer.io's endpoints, messageIds and timestamps", () => {
  it('takes /track, /identify, /page, /screen, /group and /alias besides the short paths', async () => {
    const single = {
      track: { event: 'Product Viewed' },
      identify: { traits: { plan: 'gold' } },
      page: { name: 'Home' },
      screen: { name: 'Cart' },
      group: { groupId: 'g1' },
      alias: { userId: 'cus_alias', previousId: 'e1-prev' },
    };
    for (const [path, fields] of Object.entries(single)) {
      const body = { anonymousId: 'e1', messageId: `e1-${path}`, ...fields };
      expect((await post(path, body)).body, path).toMatchObject({ stored: 1, rejected: 0 });
    }
    expect((await eventsOf('e1')).map((e) => e.type)).toEqual([
      'track',
      'identify',
      'page',
      'screen',
      'group',
      'alias',
    ]);
    const mismatch = await post('page', { type: 'track', event: 'X', anonymousId: 'e1', messageId: 'e1-x' });
    expect(mismatch.body).toMatchObject({ stored: 0, rejected: 1 });
    expect((await post('nope', {})).status).toBe(404);
  });

  it('assigns a UUID to a call sent without a messageId, and stores it with it', async () => {
    const noId = { ...track('Product Viewed', { anonymousId: 'm1' }), messageId: undefined };
    expect((await post('track', noId)).body).toMatchObject({ stored: 1 });
    expect((await eventsOf('m1'))[0]?.message_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
  });

  it('parses the ISO 8601 forms Customer.io takes and records any other timestamp as a rejection', async () => {
    const at = timedCalls('t1');
    const batch = [
      at('2026-02-01T10:00:00.000Z', 't-z'),
      at('2026-02-01T12:00:00+02:00', 't-offset'),
      at('2026-02-01T10:00:00', 't-local'),
      at('2026-02-01', 't-date'),
      at('01/02/2026', 't-us'),
      at(1769940000, 't-epoch'),
      at('2026-02-30T10:00:00Z', 't-feb30'),
    ];
    expect((await post('batch', { batch })).body).toMatchObject({ stored: 4, rejected: 3 });
    const events = await db
      .selectFrom('cdp_events')
      .select(['message_id', 'original_timestamp'])
      .where('anonymous_id', '=', 't1')
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { message_id: 't-z', original_timestamp: '2026-02-01T10:00:00.000Z' },
      { message_id: 't-offset', original_timestamp: '2026-02-01T10:00:00.000Z' },
      { message_id: 't-local', original_timestamp: '2026-02-01T10:00:00.000Z' },
      { message_id: 't-date', original_timestamp: '2026-02-01T00:00:00.000Z' },
    ]);
    for (const id of ['t-us', 't-epoch', 't-feb30'])
      expect((await rejectionOf(id))?.problems[0]?.path, id).toBe(
        'batch.' + batch.findIndex((c) => c.messageId === id) + '.timestamp',
      );
  });

  // Date.UTC reads years 0–99 as 1900–1999, so the calendar check refused `0050-01-01` as no date while `0100-01-01`
  // passed. Every four-digit year is read as written; only a time whose UTC form leaves years 0000–9999 is refused.
  it('reads the years 0000 to 0099 as written, and refuses a time that leaves four-digit years in UTC as out of range', async () => {
    const at = timedCalls('t3');
    // What was sent, and the UTC time stored for it (as the event's time too: no sentAt, nothing to correct).
    const read = [
      ['0050-01-01', '0050-01-01T00:00:00.000Z'],
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
      ['0099-12-31T23:59:59.999Z', '0099-12-31T23:59:59.999Z'],
      ['0048-02-29T10:00:00+02:00', '0048-02-29T08:00:00.000Z'],
      ['0100-01-01', '0100-01-01T00:00:00.000Z'],
    ];
    const batch = read.map(([sent], i) => at(sent, `y-${i}`));
    expect((await post('batch', { batch }, STRICT)).body).toMatchObject({ stored: read.length, rejected: 0 });
    const events = await db
      .selectFrom('cdp_events')
      .select(['message_id', 'timestamp', 'original_timestamp'])
      .where('anonymous_id', '=', 't3')
      .orderBy('seq')
      .execute();
    expect(events).toEqual(
      read.map(([, iso], i) => ({ message_id: `y-${i}`, timestamp: iso, original_timestamp: iso })),
    );

    // Year 0000 (1 BC) is read too, but no event happens before year 1: it is stamped with the time received, as one
    // from the future is (correctedTimestamp), and keeps what was sent.
    expect((await post('t', at('0000-06-01', 'y-0000'), STRICT)).body).toMatchObject({ stored: 1 });
    const zero = await db
      .selectFrom('cdp_events')
      .select(['timestamp', 'original_timestamp', 'received_at'])
      .where('message_id', '=', 'y-0000')
      .executeTakeFirstOrThrow();
    expect(zero).toEqual({
      timestamp: zero.received_at,
      original_timestamp: '0000-06-01T00:00:00.000Z',
      received_at: expect.stringMatching(/^20\d\d-/),
    });

    const refused = [
      at('0050-02-29', 'y-no-day'),
      at('0000-01-01T00:00:00+01:00', 'y-before-0000'),
      at('9999-12-31T23:00:00-02:00', 'y-after-9999'),
    ];
    expect((await post('batch', { batch: refused })).body).toMatchObject({ stored: 0, rejected: 3 });
    expect((await rejectionOf('y-no-day'))?.problems).toEqual([
      { path: 'batch.0.timestamp', message: expect.stringMatching(/^timestamp must be an ISO 8601 date-time/) },
    ]);
    for (const [i, id] of [
      [1, 'y-before-0000'],
      [2, 'y-after-9999'],
    ] as const)
      expect((await rejectionOf(id))?.problems).toEqual([
        {
          path: `batch.${i}.timestamp`,
          message: 'timestamp is out of range: in UTC it must fall between the years 0000 and 9999',
        },
      ]);
  });

  it('takes an empty or blank timestamp or sentAt as none: stamped with the time received, in strict mode too', async () => {
    const before = Date.now();
    const blank = (messageId: string, times: Record<string, unknown>) => ({
      ...call('track', { event: 'Product Viewed', anonymousId: 't2' }),
      messageId,
      timestamp: undefined,
      sentAt: undefined,
      ...times,
    });
    const batch = [
      blank('b-empty', { timestamp: '' }),
      blank('b-blank', { timestamp: '  ', sentAt: '' }),
      blank('b-null', { timestamp: null, sentAt: null }),
      // A real time with an empty sentAt: taken as given (no skew correction without sentAt).
      blank('b-sent-empty', { timestamp: '2026-02-01T10:00:00.000Z', sentAt: '' }),
    ];
    expect((await post('batch', { batch }, STRICT)).body).toMatchObject({ stored: 4, rejected: 0 });
    const events = await db
      .selectFrom('cdp_events')
      .select(['message_id', 'timestamp', 'original_timestamp', 'received_at'])
      .where('anonymous_id', '=', 't2')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.message_id)).toEqual(['b-empty', 'b-blank', 'b-null', 'b-sent-empty']);
    for (const e of events.slice(0, 3)) {
      expect(e.original_timestamp, e.message_id).toBeNull();
      expect(new Date(e.timestamp).getTime(), e.message_id).toBe(new Date(e.received_at).getTime());
      expect(new Date(e.timestamp).getTime(), e.message_id).toBeGreaterThanOrEqual(before);
    }
    expect(events[3]).toMatchObject({ original_timestamp: '2026-02-01T10:00:00.000Z' });
    expect(new Date(events[3]!.timestamp).toISOString()).toBe('2026-02-01T10:00:00.000Z');

    // Text that is no time still refuses the call, naming the field.
    const wrong = blank('b-words', { timestamp: 'yesterday' });
    expect((await post('batch', { batch: [wrong] })).body).toMatchObject({ stored: 0, rejected: 1 });
    expect((await rejectionOf('b-words'))?.problems[0]?.path).toBe('batch.0.timestamp');
  });

  it('lists the rejections in the shape of the ops contract', async () => {
    const listed = rejectionsResponse.parse(await listRejections(db, { limit: 5 }));
    expect(listed.rejections).toHaveLength(5);
    expect(listed.total).toBeGreaterThanOrEqual(10);
    expect(Object.values(listed.by_reason).reduce((a, b) => a + b, 0)).toBe(listed.total);
  });

  it('pages through the rejections with next_cursor, newest first, and refuses a cursor it never issued', async () => {
    const all = (await listRejections(db, { limit: 500 })).rejections.map((r) => r.id);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = rejectionsResponse.parse(await listRejections(db, { limit: 3, cursor }));
      seen.push(...page.rejections.map((r) => r.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all);
    for (const garbage of ['garbage', Buffer.from('["x"]').toString('base64url')])
      await expect(listRejections(db, { cursor: garbage })).rejects.toMatchObject({ status: 400 });
  });

  it('purges refused calls 30 days after they were received, each by its own age, a flood in several deletes', async () => {
    const now = new Date();
    const at = (ms: number) => new Date(now.getTime() + ms);
    const refused = (messageId: string) => ({ reason: 'invalid' as const, problems: [], call: {}, messageId });
    const record = (ids: string[], receivedAt: Date) =>
      recordRejections(db, ids.map(refused), { endpoint: 'b', receivedAt, strict: false });
    // More than two deletes' worth (DELETE_CHUNK_ROWS) of old rows, one at the edge, one recent.
    const flood = Array.from({ length: 2 * DELETE_CHUNK_ROWS + 3 }, (_, i) => `flood-${i}`);
    await record(flood, at(-31 * DAY));
    await record(['edge'], at(-30 * DAY));
    await record(['recent'], at(-DAY));
    const before = (await listRejections(db, { limit: 1 })).total;

    // The event loop gets turns while it works (requests are served between its deletes).
    let finished = false;
    const purging = purgeRejections(db, now).finally(() => (finished = true));
    const turnDuringPurge = await new Promise<boolean>((resolve) => setImmediate(() => resolve(!finished)));
    expect(await purging).toBe(flood.length);
    expect(turnDuringPurge).toBe(true);
    expect((await listRejections(db, { limit: 1 })).total).toBe(before - flood.length);
    expect(await rejectionOf('flood-0')).toBeUndefined();
    expect(await rejectionOf('edge')).toBeDefined(); // exactly 30 days: kept
    expect(await purgeRejections(db, at(1))).toBe(1);
    expect(await rejectionOf('edge')).toBeUndefined();
    expect(await rejectionOf('recent')).toBeDefined();
  });
});
