/** How much of a refused call is kept: enough to see what was sent, bounded whatever was sent. */
export const MAX_EXCERPT_CHARS = 4096;
const MAX_EXCERPT_DEPTH = 8;

/**
 * A refused call as JSON text of at most `max` characters, cut with `…`. Bounded in depth (a call may be nested
 * 200 000 levels) and in work (only what fits is visited). JSON.stringify escapes NUL and lone surrogates
 * (`\u0000`, `\ud800`), so the text stores alike on SQLite and PostgreSQL.
 */
export function excerpt(value: unknown, max = MAX_EXCERPT_CHARS): string {
  const out = { text: '', full: false };
  write(value, 0, out, max);
  return out.full ? `${out.text.slice(0, max - 1)}…` : out.text;
}

type Out = { text: string; full: boolean };

function write(value: unknown, depth: number, out: Out, max: number): void {
  if (out.full) return;
  const push = (s: string) => {
    out.text += s;
    if (out.text.length > max) out.full = true;
  };
  if (typeof value === 'string') return push(JSON.stringify(value.length > max ? value.slice(0, max) : value));
  if (typeof value !== 'object' || value === null) return push(JSON.stringify(value) ?? 'null');
  if (depth >= MAX_EXCERPT_DEPTH) return push('"…"');
  const entries: [string | null, unknown][] = Array.isArray(value)
    ? value.map((v) => [null, v])
    : Object.entries(value);
  push(Array.isArray(value) ? '[' : '{');
  for (let i = 0; i < entries.length && !out.full; i++) {
    const [key, child] = entries[i]!;
    if (i) push(',');
    if (key !== null) push(`${JSON.stringify(key)}:`);
    write(child, depth + 1, out, max);
  }
  push(Array.isArray(value) ? ']' : '}');
}

// What neither database stores as given: NUL (PostgreSQL text cannot hold it) and a lone UTF-16 surrogate.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** At most `max` UTF-16 units, never ending in half of a pair. */
const cut = (text: string, max: number) => {
  const head = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(head) && text.length > max ? head.slice(0, -1) : head;
};

/**
 * Text as a rejection records it, at most `max` characters: NUL and lone surrogates written as `\u0000`, `\ud800`
 * (as the call's excerpt has them), everything else as sent. (JSON-escaping it all showed every quote as `\"`.)
 */
export const safeText = (text: string, max: number) =>
  cut(
    cut(text, max).replace(UNSTORABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    max,
  );

/** A call's messageId as a rejection records it, if it has one. */
export function rejectedMessageId(call: unknown): string | null {
  const id = typeof call === 'object' && call !== null ? (call as Record<string, unknown>).messageId : undefined;
  if (typeof id !== 'string' && typeof id !== 'number') return null;
  return safeText(String(id), 200) || null;
}
