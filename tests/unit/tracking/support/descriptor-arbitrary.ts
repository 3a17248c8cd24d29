import fc from 'fast-check';
import type { Descriptor } from '@/lib/tracking/descriptors';

/**
 * fast-check arbitraries for the plan's descriptors (lib/tracking/descriptors.ts): values a descriptor accepts,
 * and those values mutated (keys deleted, values replaced by awkward ones) so that most of them break it.
 */
const EMAILS = [
  'ada@example.test',
  'José.Núñez@exemple.fr',
  'user+tag@bücher.de',
  '用户@例子.中国',
  'x@例子.xn--fiqs8s',
];

function validString(d: Extract<Descriptor, { kind: 'string' }>): fc.Arbitrary<string> {
  if (d.format === 'email') return fc.constantFrom(...EMAILS);
  if (d.pattern) return fc.stringMatching(d.pattern);
  if (d.startsWith !== undefined) return fc.string().map((s) => d.startsWith + s);
  const min = d.min ?? 0;
  const s = fc.string({ unit: 'grapheme', minLength: min, maxLength: min + 12 });
  return d.trim ? s.filter((v) => v.trim().length >= min) : s;
}

function validNumber(d: Extract<Descriptor, { kind: 'number' }>): fc.Arbitrary<number> {
  const low = d.gt ?? d.gte ?? -1e6;
  if (d.int) return fc.integer({ min: Math.ceil(d.gt !== undefined ? low + 1 : low), max: 1e9 });
  return fc
    .double({ min: low, max: 1e9, noNaN: true, noDefaultInfinity: true })
    .filter((n) => d.gt === undefined || n > d.gt);
}

/** Values `d` accepts (checked by the agreement test: both checkers must accept them). */
export function validOf(d: Descriptor): fc.Arbitrary<unknown> {
  let value: fc.Arbitrary<unknown>;
  switch (d.kind) {
    case 'string':
      value = validString(d);
      break;
    case 'number':
      value = validNumber(d);
      break;
    case 'boolean':
      value = fc.boolean();
      break;
    case 'literal':
      value = fc.constant(d.value);
      break;
    case 'enum':
      value = fc.constantFrom(...d.values);
      break;
    case 'array':
      value = fc.array(validOf(d.of), { minLength: d.min ?? 0, maxLength: (d.min ?? 0) + 3 });
      break;
    case 'record':
      value = fc.dictionary(fc.string({ maxLength: 6 }), validOf(d.of), { maxKeys: 3 });
      break;
    case 'union':
      value = fc.oneof(...d.of.map(validOf));
      break;
    case 'object': {
      const keys = Object.keys(d.shape);
      value = fc.record(Object.fromEntries(keys.map((k) => [k, validOf(d.shape[k]!)])), {
        requiredKeys: keys.filter((k) => !d.shape[k]!.optional),
      });
      break;
    }
  }
  if (d.nullable) value = fc.oneof(value, fc.constant(null));
  return value;
}

/** Awkward values: each breaks some descriptor of the plan, near-misses included. */
const awkward: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    '',
    ' ',
    '  x ',
    'usd',
    'USD',
    'US',
    'USA',
    '/p.svg',
    'http://x',
    'https://',
    'Password',
    'password',
    'popup',
    'banner',
    '2020-02-30T00:00:00Z',
    '2024-02-29T12:00:00+01:00',
    'not an address',
    'a@b.c',
    'cus_x',
    0,
    -0,
    1,
    -1,
    1.5,
    -0.5,
    2 ** 53,
    -(2 ** 60),
    2 ** 60,
    Number.NaN,
    Infinity,
    -Infinity,
    true,
    false,
    [],
    [''],
    ['x', 2],
    {},
    { sku: 'x' },
    new Date(0),
    Object.create(null) as object,
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

type Path = (string | number)[];

function pathsOf(value: unknown, path: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [path];
  const children = Object.entries(value).flatMap(([k, v]) =>
    pathsOf(v, [...path, Array.isArray(value) ? Number(k) : k]),
  );
  return [path, ...children];
}

/** `value` with one path deleted or replaced by an awkward value (structuredClone: the original is untouched). */
function mutateOnce(value: unknown, pick: number, change: { delete: boolean; to: unknown }): unknown {
  const paths = pathsOf(value);
  const path = paths[pick % paths.length]!;
  if (path.length === 0) return change.to;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (change.delete && !Array.isArray(parent)) delete parent[last];
  else parent[last] = change.to;
  return copy;
}

const mutation = fc.record({ pick: fc.nat(), change: fc.record({ delete: fc.boolean(), to: awkward }) });

/** Values of `d` with one to three mutations, plus extra keys an SDK might add. */
export function mutatedOf(d: Descriptor): fc.Arbitrary<unknown> {
  return fc
    .tuple(validOf(d), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([value, changes]) => changes.reduce((v, m) => mutateOnce(v, m.pick, m.change), value));
}
