import { deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DB } from '@/lib/db';
import { env, resetEnvCache } from '@/lib/env';
import { HttpError } from '@/lib/common/http';
import { corsHeaders } from '@/lib/cdp/ingest/cors';
import { MAX_EVENT_BYTES, MAX_REQUEST_BYTES, parseIngestRequest } from '@/lib/cdp/ingest/parse-request';
import { qualityReport } from '@/lib/cdp/read/quality-report';
import { getAnonymousActivity } from '@/lib/cdp/read/timeline';
import { call, freshDb, ingest, MINUTE, T0, track } from './support';

const KEY = 'test-write-key';
const SERVER_KEY = 'test-server-write-key';
const KEYS = { browser: KEY, server: SERVER_KEY };
const without = (o: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

function post(body: unknown, headers: Record<string, string> = {}) {
  return new Request('http://127.0.0.1:3000/api/cdp/v1/batch', {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The HttpError a request is refused with in strict mode (X-Strict-Mode: 1), or a failure when it is accepted. */
async function refusal(request: Request, path = ['batch']): Promise<HttpError> {
  try {
    await parseIngestRequest(request, path, KEYS, { strict: true });
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('parseIngestRequest', () => {
  it('accepts a node SDK batch with Basic auth and a browser batch with writeKey in the body', async () => {
    const node = await parseIngestRequest(
      post({ batch: [track('Product Viewed', { anonymousId: 'a' })] }, { authorization: basic(SERVER_KEY) }),
      ['batch'],
      KEYS,
    );
    expect(node).toMatchObject({ trusted: true, messages: [{ type: 'track', event: 'Product Viewed' }] });
    const browser = await parseIngestRequest(
      post({ batch: [track('Product Viewed', { anonymousId: 'a' })], writeKey: KEY }),
      ['b'],
      KEYS,
    );
    expect(browser.trusted).toBe(false);
  });

  it('trusts only the server write key: the public key is untrusted even with Basic auth and the node library', async () => {
    const batch = { batch: [track('Product Viewed', { anonymousId: 'a' })] };
    const publicBasic = await parseIngestRequest(post(batch, { authorization: basic(KEY) }), ['batch'], KEYS);
    expect(publicBasic.trusted).toBe(false);
    const serverInBody = await parseIngestRequest(post({ ...batch, writeKey: SERVER_KEY }), ['batch'], KEYS);
    expect(serverInBody.trusted).toBe(true);
  });

  it('takes single calls on /t, /i, /p … with the type implied by the path', async () => {
    const body = without(call('page', { anonymousId: 'a', name: 'Home', writeKey: KEY }), 'type');
    const parsed = await parseIngestRequest(post(body), ['p'], KEYS);
    expect(parsed.messages[0]).toMatchObject({ type: 'page', name: 'Home' });
    const mismatch = await refusal(post({ ...body, type: 'track' }), ['p']);
    expect(mismatch.status).toBe(400);
  });

  it('refuses a wrong or missing write key with 401 in strict mode', async () => {
    const batch = { batch: [track('Product Viewed', { anonymousId: 'a' })] };
    expect((await refusal(post(batch, { authorization: basic('nope') }))).status).toBe(401);
    expect((await refusal(post({ ...batch, writeKey: 'nope' }))).status).toBe(401);
    expect((await refusal(post(batch))).message).toMatch(/Missing write key/);
  });

  it('answers malformed JSON with 400 and, in strict mode, lists every envelope problem', async () => {
    expect(await refusal(post('{"batch": [', { authorization: basic(KEY) }))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/not valid JSON/),
    });
    const blankId = track('Product Viewed', { anonymousId: 'a', messageId: ' ' });
    const bad = await refusal(post({ batch: [blankId, { type: 'track', messageId: 'm2' }], writeKey: KEY }));
    expect(bad.status).toBe(400);
    expect(bad.problems).toEqual(
      expect.arrayContaining([
        { path: 'batch.0.messageId', message: 'messageId must not be blank' },
        { path: 'batch.1.event', message: 'a track call needs an event name' },
        { path: 'batch.1.userId', message: 'a call needs a userId or an anonymousId' },
      ]),
    );
  });

  // In zod 4 the message given to z.string() was also reported for its length check: an event name of 201
  // characters was answered "event must be a string".
  it.each([
    [
      'an event name over 200 characters',
      't',
      { event: 'e'.repeat(201) },
      'event',
      'event must be at most 200 characters',
    ],
    ['a page name over 200 characters', 'p', { name: 'n'.repeat(201) }, 'name', 'name must be at most 200 characters'],
    [
      'a messageId over 200 characters',
      't',
      { messageId: 'm'.repeat(201) },
      'messageId',
      'messageId must be at most 200 characters',
    ],
    [
      'a userId over 255 characters',
      't',
      { userId: 'u'.repeat(256) },
      'userId',
      'userId must be at most 255 characters',
    ],
    [
      'an anonymousId over 255 characters',
      't',
      { anonymousId: 'a'.repeat(256) },
      'anonymousId',
      'anonymousId must be at most 255 characters',
    ],
    [
      'a previousId over 255 characters',
      'a',
      { userId: 'u', previousId: 'p'.repeat(256) },
      'previousId',
      'previousId must be at most 255 characters',
    ],
    [
      'a groupId over 255 characters',
      'g',
      { groupId: 'g'.repeat(256) },
      'groupId',
      'groupId must be at most 255 characters',
    ],
    ['an event name that is a number', 't', { event: 42 }, 'event', 'event must be a string'],
    ['a page name that is a list', 'p', { name: ['Home'] }, 'name', 'name must be a string'],
    ['a userId that is a boolean', 't', { userId: true }, 'userId', 'userId must be text or a number'],
    [
      'an anonymousId that is an object',
      't',
      { anonymousId: { id: 'a' } },
      'anonymousId',
      'anonymousId must be text or a number',
    ],
    [
      'an epoch timestamp',
      't',
      { timestamp: 1769940000 },
      'timestamp',
      expect.stringMatching(/^timestamp must be an ISO 8601 date-time/),
    ],
    [
      'a sentAt in words',
      't',
      { sentAt: 'yesterday' },
      'sentAt',
      expect.stringMatching(/^sentAt must be an ISO 8601 date-time/),
    ],
  ])('refuses %s naming the field and what is wrong', async (_, endpoint, fields, path, message) => {
    const body = { event: 'Product Viewed', anonymousId: 'a', writeKey: KEY, ...fields };
    expect((await refusal(post(body), [endpoint])).problems).toEqual([{ path, message }]);
  });

  it("names a batch's writeKey that is not text", async () => {
    const batch = { batch: [track('Product Viewed', { anonymousId: 'a' })], writeKey: 5 };
    expect(await refusal(post(batch, { authorization: basic(KEY) }))).toMatchObject({
      status: 400,
      problems: [{ path: 'writeKey', message: 'writeKey must be a string' }],
    });
  });

  it('refuses a NUL character anywhere in a call (PostgreSQL cannot store one), naming where', async () => {
    const calls = [
      track('Product\u0000Viewed', { anonymousId: 'a' }),
      track('Product Viewed', { anonymousId: 'a', properties: { items: [{ sku: 'GL\u0000' }] } }),
      track('Product Viewed', { anonymousId: 'a', properties: { 'bad\u0000key': 1 } }),
    ];
    expect((await refusal(post({ batch: calls, writeKey: KEY }))).problems).toEqual([
      { path: 'batch.0.event', message: 'must not contain NUL characters (\\u0000)' },
      { path: 'batch.1.properties.items.0.sku', message: 'must not contain NUL characters (\\u0000)' },
      { path: 'batch.2.properties', message: 'must not contain NUL characters (\\u0000)' },
    ]);
  });

  it('answers 413 for a call over 32 KB and a request over 500 KB', async () => {
    const big = track('Product Viewed', { anonymousId: 'a', properties: { blob: 'x'.repeat(MAX_EVENT_BYTES) } });
    expect(await refusal(post({ batch: [big], writeKey: KEY }))).toMatchObject({
      status: 413,
      problems: [{ path: 'batch.0' }],
    });
    const many = Array.from({ length: 20 }, () =>
      track('Product Viewed', { anonymousId: 'a', properties: { blob: 'x'.repeat(MAX_REQUEST_BYTES / 19) } }),
    );
    expect((await refusal(post({ batch: many, writeKey: KEY }))).status).toBe(413);
  });

  it("applies a batch's own context and integrations to every call in it, as Customer.io documents", async () => {
    const calls = [
      track('Product Viewed', { anonymousId: 'a', context: { locale: 'en-GB', page: { path: '/p' } } }),
      track('Cart Viewed', { anonymousId: 'a', integrations: { Mixpanel: true } }),
    ];
    const body = { batch: calls, context: { ip: '203.0.113.9', locale: 'fr-FR' }, integrations: { All: false } };
    const parsed = await parseIngestRequest(post(body, { authorization: basic(SERVER_KEY) }), ['batch'], KEYS);
    expect(parsed.messages).toMatchObject([
      {
        context: { ip: '203.0.113.9', locale: 'en-GB', page: { path: '/p' } },
        integrations: { All: false },
      },
      { context: { ip: '203.0.113.9', locale: 'fr-FR' }, integrations: { All: false, Mixpanel: true } },
    ]);
    // A batch context that is not an object is the request's problem (nothing to apply it to).
    const notObject = await refusal(post({ batch: calls, context: 'x', writeKey: KEY }));
    expect(notObject).toMatchObject({ status: 400, problems: [{ path: 'context' }] });
    // A __proto__ key in the batch context refuses every call it reaches, as one in a call's own context does.
    const proto = JSON.parse(`{"batch":[${JSON.stringify(calls[0])}],"context":{"__proto__":{"x":1}}}`);
    expect(await refusal(post({ ...proto, writeKey: KEY }))).toMatchObject({ status: 400 });
  });

  it('refuses a batch whose shared context, copied into each call, would come to over 500 KB: 413 in both modes', async () => {
    // The review's request: 509 KB that stored 8,000 events and 240 MB.
    const flood = {
      writeKey: KEY,
      batch: Array(8000).fill({ type: 'track', event: 'E', anonymousId: 'amp-1' }),
      context: { pad: 'x'.repeat(30 * 1024) },
    };
    for (const strict of [true, false]) {
      const error = await parseIngestRequest(post(flood), ['b'], KEYS, { strict }).catch((e) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({
        status: 413,
        message: expect.stringMatching(/apply to each of its 8000 calls: 240\d{3} KB .*Send fewer calls per batch/),
      });
    }
    // A browser's flush with a small shared context, 500 calls: 500 copies of up to 1 KB.
    const context = (bytes: number) => ({ locale: 'en-GB', pad: 'x'.repeat(bytes - 27) });
    expect(Buffer.byteLength(JSON.stringify(context(1024)))).toBe(1024);
    const calls = Array.from({ length: 500 }, () => ({ type: 'track', event: 'E', anonymousId: 'a' }));
    const ordinary = await parseIngestRequest(
      post({ writeKey: KEY, batch: calls, context: context(1024) }),
      ['b'],
      KEYS,
    );
    expect(ordinary.messages).toHaveLength(500);
    expect(ordinary.messages[499]!.context).toMatchObject({ locale: 'en-GB' });
    // Integrations are copied too, and counted with the context (1,020 + 13 bytes a call).
    const over = { writeKey: KEY, batch: calls, context: context(1020), integrations: { All: false } };
    expect((await refusal(post(over), ['b'])).status).toBe(413);
  });

  it('reads an empty userId or anonymousId as none, as Customer.io documents, and still needs one of them', async () => {
    const calls = [
      track('Product Viewed', { userId: '', anonymousId: 'a' }),
      call('identify', { userId: 'cus_1', anonymousId: ' ', traits: { email: 'x@example.com' } }),
    ];
    const parsed = await parseIngestRequest(post({ batch: calls, writeKey: SERVER_KEY }), ['batch'], KEYS);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.messages.map((m) => [m.userId ?? null, m.anonymousId ?? null])).toEqual([
      [null, 'a'],
      ['cus_1', null],
    ]);
    const neither = await refusal(post({ batch: [track('Product Viewed', { userId: '', anonymousId: '' })] }), ['b']);
    expect(neither.status).toBe(401); // no key: the key is checked first
    const noIds = await refusal(post({ batch: [track('X', { userId: '', anonymousId: '' })], writeKey: KEY }));
    expect(noIds.problems).toEqual([{ path: 'batch.0.userId', message: 'a call needs a userId or an anonymousId' }]);
  });

  it('refuses unknown endpoints and content types with a clear message', async () => {
    expect((await refusal(post({}), ['x'])).status).toBe(404);
    expect((await refusal(post({}), ['constructor'])).status).toBe(404);
    expect((await refusal(post({}, { 'content-type': 'application/x-www-form-urlencoded' }))).status).toBe(415);
  });

  // A body labelled latin1 was read as UTF-8 all the same: "Café" was stored as "Caf\uFFFD", silently.
  it('refuses a charset other than UTF-8 or US-ASCII with a 415 in both modes', async () => {
    const latin1 = Buffer.from(
      JSON.stringify({ batch: [track('Café', { anonymousId: 'a' })], writeKey: KEY }),
      'latin1',
    );
    const labelled = (contentType: string) =>
      new Request('http://127.0.0.1:3000/api/cdp/v1/batch', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: latin1,
      });
    for (const contentType of [
      'text/plain; charset=latin1',
      'application/json;charset=ISO-8859-1',
      'text/plain; charset="windows-1252"',
      'text/plain; format=flowed; CHARSET=UTF-16',
    ]) {
      expect(await refusal(labelled(contentType)), contentType).toMatchObject({
        status: 415,
        message: expect.stringMatching(/^Content-Type charset ".+" is not supported: send the body as UTF-8/),
      });
      await expect(parseIngestRequest(labelled(contentType), ['batch'], KEYS), contentType).rejects.toMatchObject({
        status: 415,
      });
    }
    const utf8 = { batch: [track('Café', { anonymousId: 'a' })], writeKey: KEY };
    for (const contentType of [
      'text/plain;charset=UTF-8',
      'application/json; charset="utf-8"',
      'text/plain; charset=utf8',
      'application/json; charset=US-ASCII',
      'text/plain; param="a;charset=latin1"',
    ]) {
      const parsed = await parseIngestRequest(post(utf8, { 'content-type': contentType }), ['batch'], KEYS);
      expect(
        parsed.messages.map((m) => m.event),
        contentType,
      ).toEqual(['Café']);
    }
  });

  it('skips one UTF-8 byte-order mark before the JSON, as HTTP stacks commonly do', async () => {
    const body = JSON.stringify({ batch: [track('Café', { anonymousId: 'a' })], writeKey: KEY });
    const parsed = await parseIngestRequest(post(`\uFEFF${body}`), ['batch'], KEYS);
    expect(parsed.messages.map((m) => m.event)).toEqual(['Café']);
    // Only one: a second is no part of the JSON.
    expect(await refusal(post(`\uFEFF\uFEFF${body}`))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(await refusal(post('\uFEFF'))).toMatchObject({ status: 400, message: expect.stringMatching(/empty/) });
  });
});

describe('parseIngestRequest on hostile input', () => {
  it('refuses a call nested past 32 levels before parsing the body, in both modes, however deep', async () => {
    const nested = (depth: number) => `{"writeKey":"${KEY}","batch":[{"type":"track","event":"E","anonymousId":"a",
      "messageId":"m","properties":{"deep":${'['.repeat(depth)}${']'.repeat(depth)}}}]}`;
    // The call, its properties and 30 arrays: 32 levels.
    await expect(parseIngestRequest(post(nested(30)), ['batch'], KEYS)).resolves.toMatchObject({ messages: [{}] });
    const parse = vi.spyOn(JSON, 'parse');
    try {
      for (const depth of [31, 255_000]) {
        for (const strict of [true, false]) {
          const error = await parseIngestRequest(post(nested(depth)), ['batch'], KEYS, { strict }).catch((e) => e);
          expect(error).toBeInstanceOf(HttpError);
          expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/nested deeper than 32 levels/) });
        }
      }
      // A single call is the body itself: 32 levels in all.
      const single = (depth: number) =>
        `{"writeKey":"${KEY}","event":"E","anonymousId":"a","properties":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      expect((await refusal(post(single(32)), ['t'])).status).toBe(400);
      expect(parse).not.toHaveBeenCalled();
      await expect(parseIngestRequest(post(single(31)), ['t'], KEYS)).resolves.toMatchObject({ messages: [{}] });
    } finally {
      parse.mockRestore();
    }
  });

  it('counts no bracket inside a string, whatever its escapes, when it measures nesting', async () => {
    // Sent escaped: `\\` and `\"` in the body, brackets after them still inside the string.
    const text = ['['.repeat(40), '\\'.repeat(3) + '{'.repeat(40), '"'.repeat(5) + '['.repeat(40), '\\"]['];
    const parsed = await parseIngestRequest(
      post({ writeKey: KEY, batch: [track('E', { anonymousId: 'a', properties: { text } })] }),
      ['batch'],
      KEYS,
    );
    expect(parsed.messages[0]!.properties).toEqual({ text });
    // A key is a string too (its brackets do not count), and an escaped backslash before a quote ends it.
    const key = `{"writeKey":"${KEY}","batch":[{"type":"track","event":"E","anonymousId":"a","properties":{"[[\\\\":`;
    const arrays = (n: number) => key + '['.repeat(n) + ']'.repeat(n) + '}}]}';
    await expect(parseIngestRequest(post(arrays(30)), ['batch'], KEYS)).resolves.toMatchObject({ messages: [{}] });
    expect((await refusal(post(arrays(31)))).status).toBe(400);
  });

  it('refuses text that is not well-formed Unicode, in a value or a key, and takes surrogate pairs', async () => {
    const batch = (c: Record<string, unknown>) => ({ writeKey: KEY, batch: [track('E', { anonymousId: 'a', ...c })] });
    expect(await refusal(post(batch({ messageId: 'm\ud800' })))).toMatchObject({
      status: 400,
      problems: [{ path: 'batch.0.messageId', message: expect.stringMatching(/well-formed Unicode/) }],
    });
    expect(await refusal(post(batch({ properties: { ['k\udc00']: 1 } })))).toMatchObject({
      problems: [{ path: 'batch.0.properties', message: expect.stringMatching(/a key .* well-formed Unicode/) }],
    });
    await expect(
      parseIngestRequest(post(batch({ properties: { note: '😀' } })), ['batch'], KEYS),
    ).resolves.toBeTruthy();
  });

  // Bytes that are not UTF-8 were decoded to U+FFFD and stored: latin1 "Café" became "Caf\uFFFD", even in strict mode.
  it('refuses a body that is not UTF-8 as a misshapen call, naming the first bad byte, and stores none of it', async () => {
    const raw = (json: string, bad: number[], rest = '"}}') =>
      new Request('http://127.0.0.1:3000/api/cdp/v1/t', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array(Buffer.concat([Buffer.from(json), Buffer.from(bad), Buffer.from(rest)])),
      });
    const cafe = (bad: number[]) =>
      raw(
        `{"writeKey":"${KEY}","event":"Product Viewed","anonymousId":"u8","messageId":"m8","properties":{"n":"Caf`,
        bad,
      );
    const at = Buffer.byteLength(
      `{"writeKey":"${KEY}","event":"Product Viewed","anonymousId":"u8","messageId":"m8","properties":{"n":"Caf`,
    );
    const message = `The body is not valid UTF-8 (byte ${at}): send its text as UTF-8`;
    // latin1 é, an overlong "/", a UTF-8-encoded surrogate, past U+10FFFF, a cut sequence: all refused at the lead byte.
    for (const bad of [[0xe9], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      expect(await refusal(cafe(bad), ['t']), bad.join(' ')).toMatchObject({
        status: 400,
        message: `${message}; nothing was stored`,
        problems: [{ path: '(body)', message }],
        rejected: [{ reason: 'misshapen', messageId: 'm8' }],
      });
      await expect(parseIngestRequest(cafe(bad), ['t'], KEYS)).resolves.toMatchObject({
        messages: [],
        rejected: [{ reason: 'misshapen', problems: [{ path: '(body)', message }], call: { event: 'Product Viewed' } }],
      });
    }
    // UTF-8 itself passes: é, a 4-byte emoji.
    for (const good of [
      [0xc3, 0xa9],
      [0xf0, 0x9f, 0x98, 0x80],
    ]) {
      const parsed = await parseIngestRequest(cafe(good), ['t'], KEYS);
      expect(parsed.messages[0]!.properties).toEqual({ n: `Caf${Buffer.from(good).toString('utf8')}` });
    }
    // Not JSON once decoded either: a 400 in both modes, about the bytes.
    const outside = () => raw(`{"writeKey":"${KEY}",`, [0xff], '}');
    for (const strict of [true, false])
      await expect(parseIngestRequest(outside(), ['t'], KEYS, { strict })).rejects.toMatchObject({
        status: 400,
        message: expect.stringMatching(/not valid UTF-8 \(byte 29\)/),
      });
  });

  it('refuses a key named __proto__ at any level, naming where (it was dropped from properties, kept deeper)', async () => {
    // Raw JSON: an object literal's __proto__ would set the prototype, not a key.
    const withKey = (json: string) =>
      `{"writeKey":"${KEY}","batch":[{"type":"track","event":"E","anonymousId":"a","messageId":"m",${json}}]}`;
    expect(await refusal(post(withKey('"properties":{"__proto__":{"x":1}}')))).toMatchObject({
      status: 400,
      problems: [{ path: 'batch.0.properties', message: expect.stringMatching(/key named __proto__/) }],
    });
    expect(await refusal(post(withKey('"context":{"page":{"__proto__":1}}')))).toMatchObject({
      problems: [{ path: 'batch.0.context.page', message: expect.stringMatching(/key named __proto__/) }],
    });
    // Permissive: the call is refused and recorded, not stored without the key it was sent with.
    const kept = await parseIngestRequest(post(withKey('"traits":{"__proto__":{"email":"x@y.z"}}')), ['batch'], KEYS);
    expect(kept).toMatchObject({ messages: [], rejected: [{ reason: 'misshapen' }] });
    // Other keys that name Object.prototype's members are ordinary keys, stored as sent.
    const ordinary = await parseIngestRequest(
      post(withKey('"properties":{"constructor":{"prototype":1},"toString":2}')),
      ['batch'],
      KEYS,
    );
    expect(ordinary.messages[0]!.properties).toEqual({ constructor: { prototype: 1 }, toString: 2 });
  });

  it('reads a gzip or deflate body, at most 500 KB once inflated, and answers another encoding with a 415', async () => {
    const body = JSON.stringify({ writeKey: KEY, batch: [track('Product Viewed', { anonymousId: 'gz' })] });
    const compressed = (encoding: string, data: Buffer) =>
      new Request('http://127.0.0.1:3000/api/cdp/v1/batch', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
        body: new Uint8Array(data),
      });
    for (const [encoding, data] of [
      ['gzip', gzipSync(body)],
      ['x-gzip', gzipSync(body)],
      ['deflate', deflateSync(body)],
      ['identity', Buffer.from(body)],
    ] as const) {
      const parsed = await parseIngestRequest(compressed(encoding, data), ['batch'], KEYS);
      expect(parsed.messages.map((m) => m.anonymousId)).toEqual(['gz']);
    }
    // A small body that inflates past the limit (a zip bomb) is refused like a large one.
    const bomb = gzipSync(JSON.stringify({ writeKey: KEY, batch: [], pad: 'x'.repeat(MAX_REQUEST_BYTES) }));
    expect(bomb.length).toBeLessThan(10_000);
    expect(await refusal(compressed('gzip', bomb))).toMatchObject({ status: 413 });
    // Announced but not compressed: a clear 400, not a JSON error quoting binary.
    expect(await refusal(compressed('gzip', Buffer.from(body)))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/Content-Encoding gzip/),
    });
    expect(await refusal(compressed('br', Buffer.from(body)))).toMatchObject({
      status: 415,
      message: expect.stringMatching(/Content-Encoding br is not supported/),
    });
    expect((await refusal(compressed('constructor', Buffer.from(body)))).status).toBe(415);
  });

  it('answers a body that stops short of its Content-Length with a 400 once REQUEST_BODY_TIMEOUT_MS is up', async () => {
    process.env.REQUEST_BODY_TIMEOUT_MS = '50';
    resetEnvCache();
    try {
      const stalled = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue(new TextEncoder().encode('{"batch":[')),
      });
      const request = new Request('http://127.0.0.1:3000/api/cdp/v1/batch', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'content-length': '100' },
        body: stalled,
        duplex: 'half',
      } as RequestInit);
      const error = await refusal(request);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/did not arrive within 0.05 s \(10 bytes of the 100/);
    } finally {
      delete process.env.REQUEST_BODY_TIMEOUT_MS;
      resetEnvCache();
    }
  });
});

describe('ingestBatch', () => {
  let db: DB;
  beforeEach(async () => {
    db = await freshDb();
  });

  it('stores a repeated messageId once and records both senders', async () => {
    const browserCall = call('track', { event: 'Added to Cart', anonymousId: 'a' }, 'analytics.js');
    const first = await ingest(db, [browserCall], T0, { trusted: false });
    const serverCopy = { ...browserCall, context: { library: { name: '@customerio/cdp-analytics-node' } } };
    const second = await ingest(db, [serverCopy], T0);
    expect([first, second]).toEqual([
      { stored: 1, duplicates: 0, forwarded: 0, rejected: 0 },
      { stored: 0, duplicates: 1, forwarded: 0, rejected: 0 },
    ]);
    const { events } = await getAnonymousActivity(db, 'a');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ sources: ['client', 'server'], seen_count: 2 });
  });

  it("keeps the server copy's content when the server mirrors an event the browser sent first, never the reverse", async () => {
    const forged = { items: [{ name: 'Free gift', product_url: 'javascript:alert(1)' }], cart_value: 0 };
    const mirrored = { items: [{ name: 'Gentle Gel Cleanser', product_url: 'http://shop.test/p' }], cart_value: 18 };
    const browserCall = call('track', { event: 'Added to Cart', anonymousId: 'm', properties: forged }, 'analytics.js');
    const serverCopy = {
      ...browserCall,
      properties: mirrored,
      context: { library: { name: '@customerio/cdp-analytics-node' } },
    };
    await ingest(db, [browserCall], T0, { trusted: false });
    await ingest(db, [serverCopy], T0);
    // A later browser copy (a replay with the same messageId) only counts.
    await ingest(db, [browserCall], T0, { trusted: false });
    const [event] = (await getAnonymousActivity(db, 'm')).events;
    expect(event).toMatchObject({ properties: mirrored, sources: ['client', 'server'], seen_count: 3 });
  });

  it('counts a messageId repeated within one batch as a duplicate', async () => {
    const once = track('Product Viewed', { anonymousId: 'r' });
    expect(await ingest(db, [once, track('Quiz Started', { anonymousId: 'r' }), once], T0)).toEqual({
      stored: 2,
      duplicates: 1,
      forwarded: 0,
      rejected: 0,
    });
    expect((await getAnonymousActivity(db, 'r')).events.map((e) => [e.name, e.seen_count])).toEqual([
      ['Product Viewed', 2],
      ['Quiz Started', 1],
    ]);
  });

  it('names the sender by its write key, never by the library it claims', async () => {
    const claimsNode = (messageId: string) =>
      call('track', { event: 'X', anonymousId: 'k', messageId }, '@customerio/cdp-analytics-node');
    await ingest(db, [claimsNode('k1')], T0, { trusted: true });
    await ingest(db, [claimsNode('k2')], T0, { trusted: false });
    expect((await getAnonymousActivity(db, 'k')).events.map((e) => [e.sources, e.trusted])).toEqual([
      [['server'], true],
      [['client'], false],
    ]);
  });

  it('corrects timestamp for client clock skew when sentAt is present', async () => {
    // The device clock is 2 hours fast: it stamped the event 1 minute before sending it.
    const deviceNow = new Date(T0.getTime() + 120 * MINUTE);
    const skewed = track('Product Viewed', {
      anonymousId: 'a',
      timestamp: new Date(deviceNow.getTime() - MINUTE).toISOString(),
      sentAt: deviceNow.toISOString(),
    });
    await ingest(
      db,
      [skewed, track('Product Viewed', { anonymousId: 'a', timestamp: '2026-02-01T00:00:00.000Z' })],
      T0,
    );
    // Ordered by corrected timestamp: the February event comes first.
    const [untouched, corrected] = (await getAnonymousActivity(db, 'a')).events;
    expect(untouched!.timestamp).toBe('2026-02-01T00:00:00.000Z');
    expect(corrected!.timestamp).toBe(new Date(T0.getTime() - MINUTE).toISOString());
    expect(corrected!.received_at).toBe(T0.toISOString());
  });

  it('stores plan violations with the event and reports them without rejecting it', async () => {
    await ingest(
      db,
      [
        track('add_to_cart', { anonymousId: 'a' }),
        track('Quiz Started', { anonymousId: 'a', properties: { quiz_id: 'skin' } }),
        track('Quiz Started', { anonymousId: 'a', properties: { quiz_id: 'skin', schema_version: 1 } }),
        track('Mystery Clicked', { anonymousId: 'a' }),
      ],
      T0,
    );
    const events = (await getAnonymousActivity(db, 'a')).events;
    expect(events[0]).toMatchObject({
      name: 'add_to_cart',
      canonical_name: 'Added to Cart',
      violations: [{ kind: 'drifted_name' }],
    });
    const report = await qualityReport(db);
    expect(report).toEqual(
      expect.arrayContaining([
        {
          name: 'add_to_cart',
          type: 'track',
          canonical_name: 'Added to Cart',
          count: 1,
          valid: 0,
          violations: { drifted_name: 1 },
        },
        {
          name: 'Quiz Started',
          type: 'track',
          canonical_name: 'Quiz Started',
          count: 2,
          valid: 1,
          violations: { missing_schema_version: 1 },
        },
        {
          name: 'Mystery Clicked',
          type: 'track',
          canonical_name: null,
          count: 1,
          valid: 0,
          violations: { unknown_event: 1 },
        },
      ]),
    );
  });

  it('stores nothing when CDP_LOCAL is off', async () => {
    await ingest(db, [track('Product Viewed', { anonymousId: 'a' })], T0, { local: false, forward: true });
    expect(await db.selectFrom('cdp_events').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('cdp_forward_queue').selectAll().execute()).toHaveLength(1);
  });
});

describe('corsHeaders', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.APP_URL = 'http://shop.test:3000';
    process.env.CDP_ALLOWED_ORIGINS = 'https://www.glowlab.example, https://m.glowlab.example';
    resetEnvCache();
  });
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });
  const from = (origin: string | null, host = '127.0.0.1:3000', forwarded: Record<string, string> = {}) =>
    corsHeaders(
      new Request('http://127.0.0.1:3000/api/cdp/v1/t', {
        method: 'POST',
        headers: { host, ...forwarded, ...(origin ? { origin } : {}) },
      }),
    );

  it("allows the shop's origin, configured extras and the request's own host; refuses others", () => {
    expect(env().appUrl).toBe('http://shop.test:3000');
    expect(from('http://shop.test:3000')?.['Access-Control-Allow-Origin']).toBe('http://shop.test:3000');
    expect(from('https://m.glowlab.example')?.['Access-Control-Allow-Origin']).toBe('https://m.glowlab.example');
    expect(from('http://localhost:3000', 'localhost:3000')?.['Access-Control-Allow-Origin']).toBe(
      'http://localhost:3000',
    );
    expect(from('https://evil.example')).toBeNull();
    expect(from(null)).toEqual({});
  });

  // A client's X-Forwarded-Host named its own origin the shop's: evil.com got CORS headers for evil.com.
  it('believes X-Forwarded-Host and X-Forwarded-Proto only behind TRUST_PROXY, else the Host header alone', () => {
    const evil = { 'x-forwarded-host': 'evil.example' };
    expect(from('http://evil.example', '127.0.0.1:3000', evil)).toBeNull();
    expect(from('https://127.0.0.1:3000', '127.0.0.1:3000', { 'x-forwarded-proto': 'https' })).toBeNull();
    expect(from('http://127.0.0.1:3000', '127.0.0.1:3000', evil)?.['Access-Control-Allow-Origin']).toBe(
      'http://127.0.0.1:3000',
    );
    for (const trust of ['1', 'true']) {
      process.env.TRUST_PROXY = trust;
      resetEnvCache();
      const proxied = { 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https' };
      expect(from('https://shop.example', '10.0.0.2:3000', proxied)?.['Access-Control-Allow-Origin']).toBe(
        'https://shop.example',
      );
      expect(from('http://10.0.0.2:3000', '10.0.0.2:3000', proxied)).toBeNull();
    }
  });

  it("follows a changed configuration and each request's own host (parsed origins are kept between requests)", () => {
    expect(from('https://m.glowlab.example')).not.toBeNull();
    process.env.CDP_ALLOWED_ORIGINS = 'https://new.glowlab.example';
    resetEnvCache();
    expect(from('https://m.glowlab.example')).toBeNull();
    expect(from('https://new.glowlab.example')?.['Access-Control-Allow-Origin']).toBe('https://new.glowlab.example');
    expect(from('http://a.test:3000', 'a.test:3000')).not.toBeNull();
    expect(from('http://a.test:3000', 'b.test:3000')).toBeNull();
    expect(from('http://b.test:3000', 'b.test:3000')).not.toBeNull();
    expect(from('http://a.test:3000', 'a.test:3000')).not.toBeNull();
  });
});
