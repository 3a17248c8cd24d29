import { ForTag, IfTag, Output, Tag, TypeGuards, type Template, type Value } from 'liquidjs';
import { currency, UNSUBSCRIBE_URL } from './liquid';

/**
 * A compiled fast path for the happy case of the message templates, beside liquidjs. liquidjs renders through
 * generators (a resumed generator per token, filter and property read); a journey pass renders three templates
 * per email for tens of thousands of people, and that machinery, with the garbage it left, was a quarter of a
 * first pass (issue 13). This turns liquidjs' own parse of a template into plain closures for the few constructs
 * the templates use: text, `{{ path | default | escape | currency }}`, `{% for x in path %}`, `{% if %}` with a
 * path or a numeric comparison, and `{% unsubscribe_url %}`.
 *
 * It never decides anything liquidjs would decide differently: a template using anything else is not compiled
 * (`compileFast` returns null), and at render time anything off the happy path (an unset variable outside
 * `default`/`if`, a value that is not a string, number, boolean or null, a currency that fails, a `size`/`first`/
 * `last` read) abandons the fast render, and the caller renders with liquidjs, which then renders or fails with
 * its own error. tests/unit/cdp/liquid-fast.test.ts renders every template both ways and compares.
 */

/** Thrown to abandon the fast render; never escapes `FastTemplate`. */
class OffHappyPath {}
const BAIL = new OffHappyPath();
const bail = (): never => {
  throw BAIL;
};

type Scope = { data: Record<string, unknown>; globals: Record<string, unknown>; frames: Map<string, unknown> };
type Eval = (scope: Scope) => unknown;
type Emit = (scope: Scope, out: string[]) => void;

/** The renderer: the rendered string, or undefined when liquidjs must render this one. */
export type FastTemplate = (data: object, globals: Record<string, unknown>) => string | undefined;

const hasOwn = Object.prototype.hasOwnProperty;
const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === 'object' &&
  (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** liquidjs' readProperty with `ownPropertyOnly`, for plain data; undefined when unset. */
function read(obj: unknown, key: string): unknown {
  if (obj === null) return null;
  if (!isPlain(obj) || typeof (obj as { toLiquid?: unknown }).toLiquid === 'function') bail();
  // An array's `size` is its length (JSON arrays have no own `size`); the other special names go to liquidjs.
  if (key === 'size' && Array.isArray(obj)) return obj.length;
  if (key === 'size' || key === 'first' || key === 'last') bail();
  const value = hasOwn.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'function') bail();
  return value;
}

/** A variable path; `lenient` (inside `if`, or before `default`): unset reads as null instead of failing. */
function compilePath(names: readonly string[], lenient: boolean): Eval {
  const [root, ...rest] = names;
  if (root === undefined || root === 'forloop') return bail();
  return (scope) => {
    let value: unknown;
    if (scope.frames.has(root)) value = scope.frames.get(root);
    else value = read(root in scope.data ? scope.data : scope.globals, root);
    for (let i = 0; value !== undefined && i < rest.length; i++) value = read(value, rest[i]!);
    if (value === undefined) return lenient ? null : bail();
    return value;
  };
}

type AnyToken = { content?: unknown; props?: { content?: unknown }[]; variable?: unknown; operator?: string };

function compileOperand(token: AnyToken, lenient: boolean): Eval {
  if (TypeGuards.isPropertyAccessToken(token as never)) {
    const names = (token.props ?? []).map((p) => p.content);
    if (token.variable || !names.every((n): n is string => typeof n === 'string')) return bail();
    return compilePath(names, lenient);
  }
  const literal = token.content;
  if (literal === null || ['string', 'number', 'boolean'].includes(typeof literal)) return () => literal;
  return bail();
}

const COMPARISONS: Record<string, (l: number, r: number) => boolean> = {
  '>': (l, r) => l > r,
  '<': (l, r) => l < r,
  '>=': (l, r) => l >= r,
  '<=': (l, r) => l <= r,
  '==': (l, r) => l === r,
  '!=': (l, r) => l !== r,
};

function compileExpression(postfix: readonly AnyToken[], lenient: boolean): Eval {
  if (postfix.length === 1) return compileOperand(postfix[0]!, lenient);
  const compare = postfix.length === 3 ? COMPARISONS[postfix[2]!.operator ?? ''] : undefined;
  if (!compare) return bail();
  const [left, right] = [compileOperand(postfix[0]!, lenient), compileOperand(postfix[1]!, lenient)];
  return (scope) => {
    const l = left(scope);
    const r = right(scope);
    return typeof l === 'number' && typeof r === 'number' ? compare(l, r) : bail();
  };
}

/** liquidjs' stringify, for what the fast path lets through. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return bail();
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const escape = (value: unknown) => text(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const isFalsy = (value: unknown) => value === false || value === undefined || value === null;

type FilterLike = { name: string; args: unknown[]; handler: unknown };

function compileFilter({ name, args, handler }: FilterLike): (value: unknown) => unknown {
  const values = args.map((arg) => {
    const literal = (arg as AnyToken).content;
    return Array.isArray(arg) || (typeof literal !== 'string' && typeof literal !== 'number') ? bail() : literal;
  });
  if (name === 'escape' && !values.length) return escape;
  if (name === 'default' && values.length === 1) {
    const fallback = values[0];
    return (v) => ((typeof v === 'string' || Array.isArray(v) ? !v.length : isFalsy(v)) ? fallback : v);
  }
  if (name === 'currency' && handler === currency && values.length <= 1)
    return (v) => {
      try {
        return currency(v, ...values);
      } catch {
        return bail();
      }
    };
  return bail();
}

/** liquidjs' Value.value: lenient when asked (an `if`) or when the first filter is `default`. */
function compileValue(value: Value, lenient: boolean): Eval {
  const filters = value.filters as unknown as FilterLike[];
  const initial = compileExpression(
    (value.initial as unknown as { postfix: AnyToken[] }).postfix,
    lenient || filters[0]?.name === 'default',
  );
  const steps = filters.map(compileFilter);
  return (scope) => steps.reduce((v, step) => step(v), initial(scope));
}

function compileTemplates(templates: readonly Template[]): Emit {
  const parts = templates.map(compileTemplate);
  return (scope, out) => {
    for (const part of parts) part(scope, out);
  };
}

function compileTemplate(tpl: Template): Emit {
  if (TypeGuards.isHTMLToken(tpl.token)) {
    const str = (tpl as unknown as { str: string }).str;
    return (_scope, out) => out.push(str);
  }
  if (tpl instanceof Output) {
    const value = compileValue(tpl.value, false);
    return (scope, out) => out.push(text(value(scope)));
  }
  if (tpl instanceof IfTag) {
    const branches = tpl.branches.map((b) => ({
      when: compileValue(b.value, true),
      then: compileTemplates(b.templates),
    }));
    const otherwise = compileTemplates(tpl.elseTemplates ?? []);
    return (scope, out) => {
      for (const b of branches) if (!isFalsy(b.when(scope))) return b.then(scope, out);
      otherwise(scope, out);
    };
  }
  if (tpl instanceof ForTag) {
    if (Object.keys(tpl.hash.hash).length) return bail();
    const collection = compileOperand(tpl.collection as unknown as AnyToken, false);
    const body = compileTemplates(tpl.templates);
    const otherwise = compileTemplates(tpl.elseTemplates);
    const name = tpl.variable;
    return (scope, out) => {
      const items = collection(scope);
      if (!Array.isArray(items)) return bail();
      if (!items.length) return otherwise(scope, out);
      const outer = scope.frames;
      const frames = new Map(outer);
      const inner = { ...scope, frames };
      for (const item of items) {
        frames.set(name, item);
        body(inner, out);
      }
    };
  }
  if (tpl instanceof Tag && tpl.token.name === 'unsubscribe_url') {
    return (scope, out) => {
      const url = scope.globals[UNSUBSCRIBE_URL];
      out.push(typeof url === 'string' && url ? url : bail());
    };
  }
  return bail();
}

/** The template's fast renderer, or null when it uses something the fast path leaves to liquidjs. */
export function compileFast(templates: readonly Template[]): FastTemplate | null {
  let emit: Emit;
  try {
    emit = compileTemplates(templates);
  } catch (error) {
    if (error === BAIL) return null;
    throw error;
  }
  return (data, globals) => {
    const out: string[] = [];
    try {
      emit({ data: data as Record<string, unknown>, globals, frames: new Map() }, out);
    } catch (error) {
      if (error === BAIL) return undefined;
      throw error;
    }
    return out.join('');
  };
}
