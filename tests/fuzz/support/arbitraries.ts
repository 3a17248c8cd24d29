import fc from 'fast-check';

/**
 * Generators of hostile input. Values are plain JSON values, except `Raw`: JSON text put into a body as it is,
 * for what a client cannot build as an object (nesting 10 000 levels deep would overflow this process's stack).
 */
export class Raw {
  constructor(readonly text: string) {}

  // How fast-check prints a counterexample: not 200 000 brackets.
  [fc.toStringMethod]() {
    return this.text.length > 80 ? `Raw(${this.text.slice(0, 40)}… ${this.text.length} chars)` : `Raw(${this.text})`;
  }
}

/** JSON text of a value that may hold Raw pieces anywhere. Lone surrogates come out as `\ud800` escapes. */
export function toJsonText(value: unknown): string {
  const pieces: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (!(v instanceof Raw)) return v;
    pieces.push(v.text);
    return `\u0001raw${pieces.length - 1}\u0001`;
  });
  return (text ?? 'null').replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, i: string) => pieces[Number(i)]!);
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Text as a hostile client sends it: any code point, lone surrogates, NUL, markup, huge, date-like. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 6 }), loneSurrogate, fc.string({ maxLength: 6 }))
      .map(([a, s, b]) => a + s + b),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'nul\u0000byte',
      '%ZZ',
      '\u202e',
      '<script>alert(1)</script>',
      'javascript:alert(1)',
      '../../etc/passwd',
      '__proto__',
      'constructor',
      '😀',
      '\ud83d',
      'a\udc00b',
      '2025-01-31T12:00:00.000Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59.999Z',
      '2025-01-31T12:00:00.000+23:59',
      '1e309',
      '-0',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 2_000 }).map((n) => 'x'.repeat(n)) },
);

/** Arrays or objects nested `depth` levels, as text. */
export const deepNesting: fc.Arbitrary<Raw> = fc
  .tuple(fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(100, 1_000, 4_200, 10_000, 100_000)), fc.boolean())
  .map(
    ([depth, arrays]) =>
      new Raw(arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  );

/** Any JSON-ish value a field might get instead of the one it expects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
);

/** A few well-formed ids, so calls repeat and meet each other (dedupe, stitching), plus any id at all. */
const pooledId = (prefix: string) => fc.oneof(fc.constantFrom(...[1, 2, 3].map((n) => `${prefix}-${n}`)), fc.uuid());

const CALL_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

/** A call as the SDKs send it, valid for its type. */
export const validCall = fc
  .record({
    type: fc.constantFrom(...CALL_TYPES),
    messageId: pooledId('fuzz-message'),
    anonymousId: pooledId('fuzz-anon'),
    userId: fc.option(pooledId('fuzz-user'), { nil: undefined }),
    event: fc.constantFrom('Product Viewed', 'Added to Cart', 'Order Completed', 'made up'),
    library: fc.constantFrom('analytics.js', '@customerio/cdp-analytics-node', 'curl'),
  })
  .map(({ type, messageId, anonymousId, userId, event, library }): Record<string, unknown> => ({
    type,
    messageId,
    anonymousId,
    ...(userId || type === 'alias' ? { userId: userId ?? 'fuzz-user-1' } : {}),
    ...(type === 'track' ? { event } : {}),
    ...(type === 'page' || type === 'screen' ? { name: 'Home' } : {}),
    ...(type === 'alias' ? { previousId: anonymousId } : {}),
    ...(type === 'group' ? { groupId: 'fuzz-group' } : {}),
    properties: {},
    traits: type === 'identify' ? { email: 'fuzz@example.com' } : {},
    context: { library: { name: library, version: '1' } },
    timestamp: new Date(Date.UTC(2026, 0, 1)).toISOString(),
  }));

const ENVELOPE_FIELDS = [
  'type',
  'messageId',
  'event',
  'name',
  'userId',
  'anonymousId',
  'previousId',
  'groupId',
  'timestamp',
  'sentAt',
  'properties',
  'traits',
  'context',
  'integrations',
  'writeKey',
] as const;

/** A valid call with up to three envelope fields replaced by a wrong value, or removed. */
export const mutatedCall: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    validCall,
    fc.dictionary(fc.constantFrom(...ENVELOPE_FIELDS), fc.option(hostileValue, { nil: undefined, freq: 6 }), {
      maxKeys: 3,
    }),
  )
  .map(([call, changes]) => {
    const out: Record<string, unknown> = { ...call };
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) delete out[field];
      else out[field] = value;
    }
    return out;
  });

/** Sizes around the pipeline's limits: 32 KB per call, 500 KB per request. */
export const bigSize = fc.constantFrom(32 * 1024 - 400, 32 * 1024 + 1, 200_000, 499_000, 520_000);

/** Percent escapes Next.js and decodeURIComponent choke on, and garbage around them. */
export const percentGarbage: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%',
    '%Z',
    '%ZZ',
    '%E0%A4%A',
    '%C0%80',
    '%ED%A0%80',
    '%FF',
    '%00',
    '%2F',
    '%25',
    '%%',
    'a%',
    '%u0041',
    '%F0%9F%98',
    '%2e%2e',
    '..',
  ),
  fc
    .array(
      fc.oneof(
        fc.constant('%'),
        fc.stringMatching(/^%[0-9A-Fa-f]{2}$/),
        fc.stringMatching(/^%[G-Zg-z0-9][G-Zg-z]$/),
        fc.string({ unit: 'grapheme-ascii', maxLength: 3 }),
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((parts) => parts.join('')),
);

/** A query value: well-formed text encoded, or percent garbage as it is. */
export const queryValue: fc.Arbitrary<string> = fc.oneof(
  hostileString.filter((s) => !/\p{Surrogate}/u.test(s)).map(encodeURIComponent),
  percentGarbage,
);

/** Header values a fetch client can send (bytes, not text). */
export const headerGarbage: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ' ').trim()),
  fc.constantFrom('%ZZ', 'null', '*', 'x'.repeat(4_000)),
);
