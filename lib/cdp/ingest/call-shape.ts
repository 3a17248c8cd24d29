import type { Problem } from '@/lib/common/http';
import { hasLoneSurrogate } from '@/lib/common/unicode';

/** Deeper than any tracking plan needs (items in a cart are 4 levels down), shallow enough for any recursion. */
export const MAX_CALL_DEPTH = 32;

const NOT_UNICODE = 'is not well-formed Unicode (it holds a lone UTF-16 surrogate): send UTF-8 text';

// JSON.parse makes `__proto__` an ordinary key, but the envelope's checks (zod) drop it from properties, traits and
// context while deeper ones were stored: refused everywhere rather than acknowledged and half kept.
const PROTO_KEY = 'has a key named __proto__, which the pipeline cannot store as sent: rename it';

type Path = readonly (string | number)[];

/**
 * The first thing in a parsed call that the pipeline could not store and read back: nesting deeper than
 * MAX_CALL_DEPTH (the size check, the store and the console all recurse through a call), or text that is not
 * well-formed Unicode (a lone surrogate is stored as bytes that read back as other text, so a repeat of the
 * call would no longer match it), or a key named `__proto__`. Walks with its own stack, so no input can overflow this check.
 */
export function callShapeProblem(call: unknown, prefix: Path = []): Problem | null {
  // Each entry links to its parent instead of carrying its path: the path is spelled out only for a problem found
  // (copying it for every value of every call was most of this check's cost, issue 13).
  const stack: Entry[] = [{ value: call, key: null, parent: null, depth: 0 }];
  while (stack.length) {
    const entry = stack.pop()!;
    const { value } = entry;
    if (typeof value === 'string') {
      if (hasLoneSurrogate(value)) return problem(pathOf(entry, prefix), NOT_UNICODE);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (entry.depth >= MAX_CALL_DEPTH) {
      return problem(pathOf(entry, prefix), `is nested deeper than ${MAX_CALL_DEPTH} levels: flatten it`);
    }
    const depth = entry.depth + 1;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, key: i, parent: entry, depth }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (hasLoneSurrogate(key)) return problem(pathOf(entry, prefix), `has a key that ${NOT_UNICODE}`);
      if (key === '__proto__') return problem(pathOf(entry, prefix), PROTO_KEY);
      stack.push({ value: item, key, parent: entry, depth });
    }
  }
  return null;
}

type Entry = { value: unknown; key: string | number | null; parent: Entry | null; depth: number };

function pathOf(entry: Entry, prefix: Path): Path {
  const keys: (string | number)[] = [];
  for (let at: Entry | null = entry; at?.parent; at = at.parent) keys.push(at.key!);
  return [...prefix, ...keys.reverse()];
}

const problem = (path: Path, message: string): Problem => ({ path: path.join('.') || '(body)', message });
