import 'server-only';
import { sql, type RawBuilder } from 'kysely';
import { HttpError } from '@/lib/common/http';
import { hasLoneSurrogate } from '@/lib/common/unicode';
import { MAX_ROW_ID } from '@/lib/db/dialect';

/**
 * Keyset pagination for the ops reads. A page is read by its sort key, never by OFFSET: page 700 of a
 * 100k-event timeline costs what page 1 costs, and rows written between two reads neither repeat nor vanish
 * before the cursor. The cursor is opaque to clients (base64url of the last row's key); `next_cursor` is null on
 * the last page.
 */

export type PageRequest = { cursor?: string; limit?: number };
export type Page<T> = { items: T[]; next_cursor: string | null };
type KeyValue = string | number;

/** One sort column: a trusted column reference and its direction. */
export type KeyColumn = { column: string; desc?: boolean };

const badCursor = () =>
  new HttpError(400, 'The cursor is not one this API issued (or its order changed): start again without a cursor');

export function encodeCursor(key: readonly KeyValue[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What a sort column holds: `time` a stored time (ISO text, `2026-03-01T12:00:00.000Z`), `text` an id or other
 * stored text, `id` a row id (seq, a rejection's id).
 */
export type KeyKind = 'time' | 'text' | 'id';

/** The key a cursor carries, checked against the kinds of the sort columns (a tampered cursor is a 400). */
export function decodeCursor(cursor: string, kinds: readonly KeyKind[]): KeyValue[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(key) || key.length !== kinds.length) throw badCursor();
  key.forEach((v, i) => {
    if (!IS_KIND[kinds[i]!](v)) throw badCursor();
  });
  return key as KeyValue[];
}

// A key's numbers are row ids, its strings stored text: PostgreSQL stores no NUL in text and no integer beyond int4,
// and answers either with an error, so such a cursor is one this API never issued. A time is one as the pipeline
// writes them (toISOString): other text was compared with stored times as it was (`["x","y"]` sorts after them all,
// so the lists newest first answered their first page again, the timelines an empty one).
const isRowId = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_ROW_ID;
const isStorableText = (v: unknown) => typeof v === 'string' && !v.includes('\u0000') && !hasLoneSurrogate(v);
const STORED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
function isStoredTime(v: unknown): boolean {
  if (typeof v !== 'string' || !STORED_TIME.test(v)) return false;
  // Read back as itself: Date.parse takes a 30 February (as 2 March).
  const ms = Date.parse(v);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === v;
}
const IS_KIND: Record<KeyKind, (v: unknown) => boolean> = { time: isStoredTime, text: isStorableText, id: isRowId };

/**
 * "Rows after this key" in the order of `columns`. Written as `c1 >= v1 and (c1 > v1 or c2 > v2)` rather than a
 * plain OR, so both databases read it as a range on the index that serves the ORDER BY.
 */
export function afterKey(columns: readonly KeyColumn[], key: readonly KeyValue[]): RawBuilder<boolean> {
  const [first, ...rest] = columns;
  const cmp = (c: KeyColumn, strict: boolean) => sql.raw(c.desc ? (strict ? '<' : '<=') : strict ? '>' : '>=');
  const ref = (c: KeyColumn) => sql.ref(c.column);
  if (!first) throw new Error('a page needs at least one sort column');
  if (!rest.length) return sql<boolean>`${ref(first)} ${cmp(first, true)} ${key[0]}`;
  const tail = afterKey(rest, key.slice(1));
  return sql<boolean>`(${ref(first)} ${cmp(first, false)} ${key[0]} and (${ref(first)} ${cmp(first, true)} ${key[0]} or ${tail}))`;
}

/** Cuts the `limit + 1` rows a page query read into the page and the cursor of the next one. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => KeyValue[], view: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), next_cursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}

/**
 * Whether a list's filter can match stored text. PostgreSQL text holds no NUL and answers a query for one with an
 * error (SQLite finds no row): the ops API refuses `%00` in its URLs (opsRoute), but a console page passed its
 * search box or filter through, so `/ops?q=%00` was a 500 on PostgreSQL. The lists answer an empty page instead,
 * without a query.
 */
export const canMatchStoredText = (...filters: (string | undefined)[]) => !filters.some((f) => f?.includes('\u0000'));

/**
 * For console pages, whose cursor comes from a link a person may have edited or kept across a change of order:
 * a cursor the API would refuse with a 400 shows the first page instead.
 */
export async function orFirstPage<T>(read: (cursor: string | undefined) => Promise<T>, cursor?: string): Promise<T> {
  try {
    return await read(cursor);
  } catch (error) {
    if (cursor && error instanceof HttpError && error.status === 400) return read(undefined);
    throw error;
  }
}
