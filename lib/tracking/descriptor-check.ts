import type { Descriptor, NumberDescriptor, StringDescriptor } from './descriptors';
import { isEmailAddress } from './email';

/**
 * Checks a value against a descriptor (./descriptors.ts) without zod, for the browser's chunk. It reports what
 * the zod schema built from the same descriptor (./descriptor-zod.ts) reports: the same issues, at the same paths,
 * in the same order (zod 4's rules: every check of a value runs, except that a non-integer skips the number's
 * other checks; a minimum length is checked on whatever has a length; an array's items come before its length; a
 * union that fails is one issue). The messages are
 * shorter than zod's. tests/unit/tracking/plan-agreement.test.ts holds the two to this.
 */
export type Issue = { path: (string | number)[]; message: string };

export function issuesOf(d: Descriptor, value: unknown, path: (string | number)[] = [], out: Issue[] = []): Issue[] {
  if ((value === undefined && d.optional) || (value === null && d.nullable)) return out;
  const issue = (message: string) => void out.push({ path, message });
  switch (d.kind) {
    case 'string':
      if (typeof value === 'string') checkString(d, value, issue);
      else {
        issue(`expected a string, got ${kindOf(value)}`);
        if (d.min !== undefined) checkLength(value, d.min, issue);
      }
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) issue(`expected a number, got ${kindOf(value)}`);
      else checkNumber(d, value, issue);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') issue(`expected a boolean, got ${kindOf(value)}`);
      break;
    case 'literal':
      if (value !== d.value) issue(`expected ${JSON.stringify(d.value)}`);
      break;
    case 'enum':
      if (!d.values.includes(value as string)) issue(`expected one of ${d.values.map((v) => `"${v}"`).join('|')}`);
      break;
    case 'array':
      if (Array.isArray(value)) value.forEach((item, i) => issuesOf(d.of, item, [...path, i], out));
      else issue(`expected an array, got ${kindOf(value)}`);
      if (d.min !== undefined) checkLength(value, d.min, issue);
      break;
    case 'record':
      if (!isPlainObject(value)) issue(`expected an object, got ${kindOf(value)}`);
      else for (const key of Object.keys(value)) issuesOf(d.of, value[key], [...path, key], out);
      break;
    case 'union':
      if (!d.of.some((option) => issuesOf(option, value).length === 0)) issue('matches none of the allowed forms');
      break;
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        issue(`expected an object, got ${kindOf(value)}`);
      else
        for (const [key, child] of Object.entries(d.shape))
          issuesOf(child, (value as Record<string, unknown>)[key], [...path, key], out);
      break;
  }
  return out;
}

function checkString(d: StringDescriptor, raw: string, issue: (message: string) => void): void {
  const value = d.trim ? raw.trim() : raw;
  if (d.min !== undefined) checkLength(value, d.min, issue);
  if (d.pattern && !d.pattern.test(value)) issue(d.message ?? `does not match ${String(d.pattern)}`);
  if (d.startsWith !== undefined && !value.startsWith(d.startsWith)) issue(`must start with "${d.startsWith}"`);
  if (d.format === 'email' && !isEmailAddress(value)) issue('expected an email address');
}

/**
 * A minimum length, as zod 4 checks it: in code points for a string, and on anything with a `length` even after
 * the type was wrong (an array where a string belongs is also "too short" when empty).
 */
function checkLength(value: unknown, min: number, issue: (message: string) => void): void {
  if (value === null || value === undefined) return;
  const length: unknown = typeof value === 'string' ? [...value].length : (value as { length?: unknown }).length;
  if (length === undefined) return;
  if (!((length as number) >= min)) issue(`expected a length of at least ${min}`);
}

function checkNumber(d: NumberDescriptor, value: number, issue: (message: string) => void): void {
  if (d.int) {
    if (!Number.isInteger(value)) return issue('expected an integer');
    if (value > Number.MAX_SAFE_INTEGER) issue('expected a safe integer');
    if (value < Number.MIN_SAFE_INTEGER) issue('expected a safe integer');
  }
  if (d.gte !== undefined && !(value >= d.gte)) issue(`expected at least ${d.gte}`);
  if (d.gt !== undefined && !(value > d.gt)) issue(`expected more than ${d.gt}`);
}

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** zod's test for a record: an object whose constructor, if it has a usable one, is Object's. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const ctor = (value as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto: unknown = (ctor as { prototype?: unknown }).prototype;
  return typeof proto === 'object' && proto !== null && Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf');
}
