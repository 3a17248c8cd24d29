import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastEnvelope } from '@/lib/cdp/ingest/fast-envelope';
import { messageSchema } from '@/lib/cdp/model/message';

const NOW = '2026-12-02T08:00:00.000Z';

/** A call as the SDKs send it (the ingest benchmark's), which the fast path must take. */
const wellFormed = (over: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Product Viewed',
  messageId: 'm-1',
  anonymousId: 'anon-1',
  properties: { product_id: 'p-1', price: 24, currency: 'USD' },
  context: { library: { name: 'analytics.js' } },
  timestamp: NOW,
  sentAt: NOW,
  writeKey: 'k',
  ...over,
});

// Values a field may hold, usual and hostile: blank and padded text, long text, numbers, null, arrays, objects
// with `__proto__`, NUL characters, timestamps of every form (valid or not), nothing at all.
const text = fc.oneof(
  fc.constantFrom('', ' ', ' a ', 'x'.repeat(200), ` ${'x'.repeat(200)} `, 'x'.repeat(256), 'a\u0000b', '\u00a0id\n'),
  fc.string({ maxLength: 12 }),
);
const anyValue = fc.oneof(
  text,
  fc.constantFrom(null, undefined, 0, -0, 1.5, -7, 1e21, true, [], ['a'], {}, NaN),
  fc.constant(JSON.parse('{"__proto__": {"x": 1}, "a": 1}')),
  fc.dictionary(text, fc.oneof(text, fc.integer(), fc.constant(null)), { maxKeys: 3 }),
);
const times = fc.constantFrom(
  NOW,
  '2026-12-02',
  '2026-12-02T08:00:00Z',
  '2026-12-02 08:00:00.123456+02',
  '2026-02-30',
  '0099-01-01T00:00:00.000Z',
  ' 2026-12-02T08:00:00.000Z ',
  '12/02/2026',
  '',
);
const FIELDS = {
  type: fc.oneof(fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias', 'TRACK', 'x'), anyValue),
  event: fc.oneof(fc.constantFrom('Product Viewed', 'User Deleted', 'Suppressed', ' Order Completed '), anyValue),
  messageId: fc.oneof(fc.constantFrom('m-1', ' m-2 ', ''), anyValue),
  name: anyValue,
  userId: fc.oneof(fc.constantFrom('u-1', 42, ' u-2 '), anyValue),
  anonymousId: fc.oneof(fc.constant('anon-1'), anyValue),
  previousId: anyValue,
  groupId: fc.oneof(fc.constant('g-1'), anyValue),
  timestamp: fc.oneof(times, anyValue),
  sentAt: fc.oneof(times, anyValue),
  properties: anyValue,
  traits: anyValue,
  context: anyValue,
  writeKey: anyValue,
  integrations: anyValue,
  ['__proto__']: anyValue,
};

const REMOVE = Symbol('remove');

/** A well-formed call with some fields replaced or removed, parsed from JSON text as the route does. */
const calls = fc
  .record(
    // Mostly unchanged, so that about half the calls are still well-formed and the comparison runs often.
    Object.fromEntries(
      Object.entries(FIELDS).map(([k, v]) => [
        k,
        fc.oneof({ arbitrary: fc.constant(null), weight: 12 }, v, fc.constant(REMOVE)),
      ]),
    ),
    { requiredKeys: [] },
  )
  .map((changes) => {
    const call: Record<string, unknown> = wellFormed();
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) continue;
      if (value === REMOVE) delete call[key];
      // An own `__proto__` key, as JSON.parse makes one (a plain assignment would set the prototype).
      else Object.defineProperty(call, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return JSON.parse(JSON.stringify(call)) as unknown;
  });

describe('the fast envelope path', () => {
  it('takes the SDKs’ usual calls and returns exactly what zod returns', () => {
    for (const call of [
      wellFormed(),
      wellFormed({ type: 'identify', event: undefined, userId: 'u-1', traits: { email: 'a@b.c' } }),
      wellFormed({ type: 'page', event: undefined, name: 'Home' }),
      wellFormed({ type: 'group', event: undefined, groupId: 'g-1', userId: 42 }),
    ]) {
      const fast = fastEnvelope(call);
      expect(fast).toBeDefined();
      expect(fast).toStrictEqual(messageSchema.parse(call));
      expect(Object.keys(fast!)).toEqual(Object.keys(messageSchema.parse(call)));
    }
  });

  it('either defers to zod or matches its result, keys in the same order, on any call', () => {
    let taken = 0;
    fc.assert(
      fc.property(calls, (call) => {
        const fast = fastEnvelope(call);
        if (fast === undefined) return;
        taken++;
        const parsed = messageSchema.safeParse(call);
        expect(parsed.success).toBe(true);
        expect(fast).toStrictEqual(parsed.data);
        expect(Object.keys(fast)).toEqual(Object.keys(parsed.data!));
      }),
      { numRuns: 5_000 },
    );
    // The property says something only if many generated calls took the fast path.
    expect(taken).toBeGreaterThan(200);
  });

  it('leaves to zod what it cannot match: no messageId (zod assigns one), alias, NUL characters', () => {
    expect(fastEnvelope(wellFormed({ messageId: undefined }))).toBeUndefined();
    expect(fastEnvelope(wellFormed({ type: 'alias', userId: 'u', previousId: 'p' }))).toBeUndefined();
    expect(fastEnvelope(wellFormed({ properties: { a: 'x\u0000' } }))).toBeUndefined();
  });
});
