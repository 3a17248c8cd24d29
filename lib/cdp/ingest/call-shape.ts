import type { Problem } from '@/lib/common/http';

/** Deeper than any tracking plan needs (items in a cart are 4 levels down), shallow enough for any recursion. */
export const MAX_CALL_DEPTH = 32;

// With the u flag a surrogate pair reads as one astral code point, so only a lone surrogate matches
// (String.prototype.isWellFormed, which tsconfig's ES2023 lib does not declare).
const LONE_SURROGATE = /\p{Surrogate}/u;
const NOT_UNICODE = 'is not well-formed Unicode (it holds a lone UTF-16 surrogate): send UTF-8 text';

type Path = readonly (string | number)[];

/**
 * The first thing in a parsed call that the pipeline could not store and read back: nesting deeper than
 * MAX_CALL_DEPTH (the size check, the store and the console all recurse through a call), or text that is not
 * well-formed Unicode (a lone surrogate is stored as bytes that read back as other text, so a repeat of the
 * call would no longer match it). Walks with its own stack, so no input can overflow this check.
 */
export function callShapeProblem(call: unknown, prefix: Path = []): Problem | null {
  const stack: { value: unknown; path: Path }[] = [{ value: call, path: prefix }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return problem(path, NOT_UNICODE);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length - prefix.length >= MAX_CALL_DEPTH) {
      return problem(path, `is nested deeper than ${MAX_CALL_DEPTH} levels: flatten it`);
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return problem(path, `has a key that ${NOT_UNICODE}`);
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}

const problem = (path: Path, message: string): Problem => ({ path: path.join('.') || '(body)', message });
