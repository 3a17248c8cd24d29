import 'server-only';
import { HttpError } from './http';

/**
 * How a JSON body's bytes become text, for the ingest and the ops API alike. JSON between systems is UTF-8 (RFC 8259
 * §8.1), and that is how they are read: a body labelled with another charset (`charset=latin1`) used to be read as
 * UTF-8 all the same, so "Café" was stored as "Caf\uFFFD" without a word. It is refused instead (415), before it is
 * read. US-ASCII is a subset of UTF-8, so it is read as UTF-8 too.
 */
const READ_AS_UTF8 = new Set(['utf-8', 'utf8', 'us-ascii']);

/** One parameter of a media type: `; name=token` or `; name="quoted \" string"` (RFC 9110 §5.6.6). */
const PARAMETER = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;

/** The `charset` parameter of a Content-Type header, unquoted and lower-cased; null when it has none. */
export function charsetOf(contentType: string | null): string | null {
  for (const [, name, value] of (contentType ?? '').matchAll(PARAMETER)) {
    if (name!.toLowerCase() !== 'charset') continue;
    const unquoted = value!.startsWith('"') ? value!.slice(1, -1).replace(/\\(.)/g, '$1') : value!;
    return unquoted.trim().toLowerCase();
  }
  return null;
}

/** A 415 for a body whose Content-Type names a charset other than UTF-8 (or US-ASCII); no charset is UTF-8. */
export function refuseUnreadableCharset(contentType: string | null): void {
  const charset = charsetOf(contentType);
  if (charset === null || READ_AS_UTF8.has(charset)) return;
  throw new HttpError(
    415,
    `Content-Type charset ${JSON.stringify(charset)} is not supported: send the body as UTF-8 (charset=utf-8, or no charset)`,
  );
}

/**
 * The body as text, without a leading byte-order mark: a UTF-8 BOM (EF BB BF) is no part of the JSON, and JSON.parse
 * refused the body over it (Unexpected token U+FEFF), though many HTTP stacks' JSON readers skip it (RFC 8259 §8.1
 * lets a parser ignore one). Only one is dropped.
 */
export function bodyText(bytes: Buffer): string {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bytes.toString('utf8', bom ? 3 : 0);
}
