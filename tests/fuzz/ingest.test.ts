import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bigSize,
  deepNesting,
  headerGarbage,
  hostileString,
  hostileValue,
  mutatedCall,
  Raw,
  toJsonText,
} from './support/arbitraries';
import {
  expectApiAnswer,
  expectStillServing,
  fuzzServer,
  recordRequests,
  send,
  unexpectedServerErrors,
  type FuzzRequest,
} from './support/client';
import { fuzzSettings } from './support/settings';

/**
 * Every ingest path, with malformed calls, wrong types in every envelope field, deep nesting, huge and
 * non-Unicode text, wrong content types, bad keys and origins: the answer is always a 2xx or a 4xx with a JSON
 * `{ error }`, never a 5xx or a hang, and repeating a request changes nothing about that.
 * Customer.io's names (`/track`, `/identify` …) are in the list too. Refused calls are a 200 (recorded) unless the
 * request sends `X-Strict-Mode: 1`, as on Customer.io.
 */
const SINGLE_PATHS = ['t', 'i', 'p', 's', 'g', 'a', 'track', 'identify', 'page', 'screen', 'group', 'alias'];
const BATCH_PATHS = ['b', 'batch'];

const CONTENT_TYPES = [
  undefined,
  'application/json',
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/json; charset=latin1',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
];

const { runs, seed } = fuzzSettings();

type BodyShape =
  | { kind: 'calls'; calls: Record<string, unknown>[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'deep'; value: Raw }
  | { kind: 'big'; size: number; many: boolean }
  | { kind: 'bytes'; bytes: Uint8Array<ArrayBuffer> };

const bodyShape: fc.Arbitrary<BodyShape> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .array(mutatedCall, { minLength: 1, maxLength: 4 })
      .map((calls) => ({ kind: 'calls', calls }) as const),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => ({ kind: 'json', value }) as const) },
  { weight: 1, arbitrary: deepNesting.map((value) => ({ kind: 'deep', value }) as const) },
  {
    weight: 1,
    arbitrary: fc.tuple(bigSize, fc.boolean()).map(([size, many]) => ({ kind: 'big', size, many }) as const),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'bytes', bytes }) as const) },
);

const ingestCase = fc.record({
  path: fc.constantFrom(...SINGLE_PATHS, ...BATCH_PATHS),
  body: bodyShape,
  writeKey: fc.oneof(
    { weight: 8, arbitrary: fc.constant<'valid' | undefined>('valid') },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: hostileValue },
  ),
  auth: fc.constantFrom('none', 'none', 'none', 'basic', 'basic-wrong', 'garbage'),
  contentType: fc.constantFrom(...CONTENT_TYPES),
  strict: fc.boolean(),
  origin: fc.option(fc.oneof(fc.constantFrom('http://evil.example', 'null'), headerGarbage), { freq: 6 }),
  repeat: fc.boolean(),
});

type IngestCase = typeof ingestCase extends fc.Arbitrary<infer T> ? T : never;

function toRequest(c: IngestCase): FuzzRequest {
  const { writeKey } = fuzzServer();
  const key = c.writeKey === 'valid' ? writeKey : c.writeKey;
  const headers: Record<string, string> = {};
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  if (c.strict) headers['x-strict-mode'] = '1';
  if (c.origin) headers.origin = c.origin;
  if (c.auth === 'basic') headers.authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  if (c.auth === 'basic-wrong') headers.authorization = `Basic ${Buffer.from('wrong:').toString('base64')}`;
  if (c.auth === 'garbage') headers.authorization = 'Basic !!!%ZZ';
  const batch = BATCH_PATHS.includes(c.path);
  const withKey = (o: Record<string, unknown>) => (key === undefined ? o : { ...o, writeKey: key });
  const body = ((): string | Uint8Array<ArrayBuffer> => {
    switch (c.body.kind) {
      case 'calls':
        return toJsonText(batch ? withKey({ batch: c.body.calls }) : withKey(c.body.calls[0]!));
      case 'json':
        return toJsonText(c.body.value);
      case 'deep': {
        const call = {
          type: 'track',
          event: 'Deep',
          anonymousId: 'fuzz-anon-1',
          messageId: 'fuzz-deep',
          properties: { deep: c.body.value },
        };
        return toJsonText(batch ? withKey({ batch: [call] }) : withKey(call));
      }
      case 'big': {
        const blob = 'x'.repeat(c.body.size);
        const call = (i: number) => ({
          type: 'track',
          event: 'Big',
          anonymousId: 'fuzz-anon-1',
          messageId: `fuzz-big-${i}`,
          properties: { blob },
        });
        const calls = c.body.many ? Array.from({ length: 20 }, (_, i) => call(i)) : [call(0)];
        return toJsonText(batch ? withKey({ batch: calls }) : withKey(calls[0]!));
      }
      case 'bytes':
        return c.body.bytes;
    }
  })();
  return { method: 'POST', path: `/api/cdp/v1/${c.path}`, headers, body };
}

describe('fuzz: the ingest (/api/cdp/v1)', () => {
  afterAll(() => recordRequests('ingest'));

  it('answers every request with a 2xx or a 4xx and a JSON error, never a 5xx or a hang, twice alike', async () => {
    await fc.assert(
      fc.asyncProperty(ingestCase, async (c) => {
        const request = toRequest(c);
        const first = await send(request);
        expectApiAnswer(request, first);
        if (c.repeat) expectApiAnswer(request, await send(request));
      }),
      { seed, numRuns: runs * 4 },
    );
  });

  it('refuses a lone surrogate anywhere in a call: 400 naming it in strict mode, else 200 keeping its neighbour', async () => {
    const { writeKey } = fuzzServer();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'messageId',
          'userId',
          'anonymousId',
          'event',
          'properties.note',
          'properties.key',
          'context.page.title',
        ),
        fc.integer({ min: 0xd800, max: 0xdfff }),
        async (field, code) => {
          const lone = `x${String.fromCharCode(code)}`;
          const call: Record<string, unknown> = {
            type: 'track',
            event: 'Added to Cart',
            anonymousId: 'fuzz-anon-2',
            messageId: `fuzz-lone-${code}`,
            properties: {},
          };
          if (field === 'properties.note') call.properties = { note: lone };
          else if (field === 'properties.key') call.properties = { [lone]: 1 };
          else if (field === 'context.page.title') call.context = { page: { title: lone } };
          else call[field] = lone;
          // Its neighbour is the same call before the lone surrogate went in.
          const neighbour = {
            type: 'track',
            event: 'Added to Cart',
            anonymousId: 'fuzz-anon-2',
            messageId: `fuzz-lone-${code}-ok`,
            properties: {},
          };
          const body = toJsonText({ writeKey, batch: [neighbour, call] });
          const strict = { method: 'POST', path: '/api/cdp/v1/b', headers: { 'x-strict-mode': '1' }, body };
          const permissive = { method: 'POST', path: '/api/cdp/v1/b', body };
          for (let i = 0; i < 2; i++) {
            const refused = await send(strict);
            expectApiAnswer(strict, refused);
            expect(refused.status).toBe(400);
            expect(refused.text).toContain('not well-formed Unicode');
            const kept = await send(permissive);
            expect(expectApiAnswer(permissive, kept)).toMatchObject({ success: true, rejected: 1 });
            expect(kept.status).toBe(200);
          }
        },
      ),
      { seed, numRuns: Math.max(10, runs / 5) },
    );
  });

  it('refuses a call nested past 32 levels before parsing, 400 in both modes; brackets inside strings never count', async () => {
    const { writeKey } = fuzzServer();
    const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'u', 'x'), maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 200_000 })),
        fc.constantFrom(...SINGLE_PATHS.filter((p) => p === 't' || p === 'track'), ...BATCH_PATHS),
        fc.boolean(),
        fc.array(tricky, { maxLength: 4 }),
        async (depth, path, strict, notes) => {
          const call = {
            type: 'track',
            event: 'Deep',
            anonymousId: 'fuzz-anon-3',
            messageId: `fuzz-deep-${depth}-${path}`,
            // Strings (and a key) full of brackets, quotes and backslashes, before and after the nesting.
            properties: { [notes.join('')]: notes, deep: new Raw('['.repeat(depth) + ']'.repeat(depth)), notes },
          };
          const body = toJsonText(BATCH_PATHS.includes(path) ? { writeKey, batch: [call] } : { ...call, writeKey });
          const headers: Record<string, string> = strict ? { 'x-strict-mode': '1' } : {};
          const request = { method: 'POST', path: `/api/cdp/v1/${path}`, headers, body };
          const answer = await send(request);
          const json = expectApiAnswer(request, answer);
          // The call and its properties are two of the 32 levels.
          if (depth > 30) {
            expect(answer.status, `depth ${depth}`).toBe(400);
            expect(json).toMatchObject({ error: expect.stringMatching(/nested deeper than 32 levels/) });
          } else {
            expect(answer.status, `depth ${depth}`).toBe(200);
            expect(json).toMatchObject({ success: true });
          }
        },
      ),
      { seed, numRuns: Math.max(10, runs / 5) },
    );
  });

  // Keeps the generators honest: they do produce the text the first property relies on.
  it('generates lone surrogates and NUL characters', () => {
    const sample = fc.sample(hostileString, { seed, numRuns: 500 });
    expect(sample.some((s) => /\p{Surrogate}/u.test(s))).toBe(true);
    expect(sample.some((s) => s.includes('\u0000'))).toBe(true);
  });

  it('keeps serving, and logged no unexpected error', async () => {
    await expectStillServing();
    expect(unexpectedServerErrors()).toEqual([]);
  });
});
