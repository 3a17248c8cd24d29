import { messageSchema, MESSAGE_TYPES, parseTimestamp, type IngestMessage } from '@/lib/cdp/model/message';
import { personActionOf } from '@/lib/cdp/model/semantic-events';

/**
 * The envelope check for the common, well-formed call, written out by hand: it returns exactly what
 * `messageSchema.parse` returns (same values, same key order), or `undefined` to leave the call to zod, which
 * then decides and words any problem. zod's generic object walk was the largest per-call cost of ingest after
 * the insert (issue 13). Anything unusual defers: a call without a messageId (zod assigns a UUID), alias calls,
 * a call missing what its type needs, NUL characters, `__proto__` keys, values of the wrong kind.
 * tests/unit/cdp/fast-envelope.test.ts checks equality with zod on generated calls, hostile ones included.
 */
export function fastEnvelope(call: unknown): IngestMessage | undefined {
  if (!isPlainObject(call) || Object.hasOwn(call, '__proto__')) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, check] of FIELDS) {
    const value = check(call[key], key in call);
    if (value === DEFER) return undefined;
    if (value !== OMIT) out[key] = value;
  }
  for (const key of Object.keys(call)) if (!SHAPE.has(key)) out[key] = call[key];
  const m = out as IngestMessage;
  // The schema's superRefine, as conditions under which zod would add an issue (then zod words it).
  if (m.type === 'alias' || (!m.userId && !m.anonymousId)) return undefined;
  if (m.type === 'track' && !m.event) return undefined;
  if (m.type === 'group' && !m.groupId) return undefined;
  if (personActionOf(m) && !m.userId) return undefined;
  return hasNul(m) ? undefined : m;
}

const DEFER = Symbol('defer');
const OMIT = Symbol('omit');
type Check = (value: unknown, present: boolean) => unknown;

const TYPES = new Set<unknown>(MESSAGE_TYPES);

/** A `.nullish()` field: absent keys stay absent, null stays null, anything else goes through `check`. */
const nullish =
  (check: (value: unknown) => unknown): Check =>
  (value, present) =>
    value === undefined ? (present ? undefined : OMIT) : value === null ? null : check(value);

const trimmed = (max: number) => (value: unknown) => {
  if (typeof value !== 'string') return DEFER;
  const text = value.trim();
  return text.length >= 1 && text.length <= max ? text : DEFER;
};

const id = nullish((value) =>
  typeof value === 'number' ? (Number.isFinite(value) ? String(value) : DEFER) : trimmed(255)(value),
);
const time = nullish((value) => (typeof value === 'string' ? (parseTimestamp(value) ?? DEFER) : DEFER));
// properties/traits/context: zod copies the record into a new object, and turns absent or null into {}.
const object: Check = (value) =>
  value === undefined || value === null
    ? {}
    : isPlainObject(value) && !Object.hasOwn(value, '__proto__')
      ? { ...value }
      : DEFER;

const BY_KEY: Record<string, Check> = {
  type: (value) => (TYPES.has(value) ? value : DEFER),
  // No messageId: zod assigns a random one, which no fast path could match.
  messageId: (value) => trimmed(200)(value),
  event: nullish(trimmed(200)),
  name: nullish((value) => (typeof value === 'string' && value.length <= 200 ? value : DEFER)),
  userId: id,
  anonymousId: id,
  previousId: id,
  groupId: id,
  timestamp: time,
  sentAt: time,
  properties: object,
  traits: object,
  context: object,
};

// The schema's own keys, in its order (zod's output order); a key added to the schema without a check here turns
// the fast path off rather than letting it pass the key through unchecked.
const SHAPE_KEYS = Object.keys(messageSchema.shape);
const SHAPE = new Set(SHAPE_KEYS);
const FIELDS: [string, Check][] = SHAPE_KEYS.every((key) => key in BY_KEY)
  ? SHAPE_KEYS.map((key) => [key, BY_KEY[key]!])
  : [['type', () => DEFER]];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.includes('\u0000') || hasNul((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}
