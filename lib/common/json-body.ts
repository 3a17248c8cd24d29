import 'server-only';
import { HttpError } from './http';

/**
 * How a JSON body's bytes become text, for the ingest and the ops API alike. JSON between systems is UTF-8 (RFC 8259
 * §8.1), and that is how they are read: a body labelled with another charset (`charset=latin1`) used to be read as
 * UTF-8 all the same, so "Café" was stored as "Caf\uFFFD" without a word. It is refused instead (415), before it is
 * read. US-ASCII is a subset of UTF-8, so it is read as UTF-8 too. Bytes that are not UTF-8, whatever the label (or
 * with none), are refused too (NotUtf8Error), never turned into U+FFFD.
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

/** Fatal: a byte that is not UTF-8 throws rather than becoming U+FFFD ("Café" sent as latin1 was stored "Caf\uFFFD"). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LOSSY = new TextDecoder('utf-8');

/** A body whose bytes are not UTF-8, whatever its Content-Type says: a 400 naming the first byte that is not. */
export class NotUtf8Error extends HttpError {
  constructor(readonly byteOffset: number) {
    super(400, `The body is not valid UTF-8 (byte ${byteOffset}): send its text as UTF-8`);
  }
}

/**
 * The body as text, without a leading byte-order mark: a UTF-8 BOM (EF BB BF) is no part of the JSON, and JSON.parse
 * refused the body over it (Unexpected token U+FEFF), though many HTTP stacks' JSON readers skip it (RFC 8259 §8.1
 * lets a parser ignore one). Only one is dropped (TextDecoder drops one unless told not to). Bytes that are not
 * UTF-8 throw a NotUtf8Error.
 */
export function bodyText(bytes: Uint8Array): string {
  const { text, notUtf8 } = decodeBody(bytes);
  if (notUtf8) throw notUtf8;
  return text;
}

/**
 * bodyText without the throw, for the ingest, which records such a body as a refused call (permissive mode) and so
 * reads it anyway: `text` has U+FFFD for what is not UTF-8, and `notUtf8` says where the first such byte is.
 */
export function decodeBody(bytes: Uint8Array): { text: string; notUtf8: NotUtf8Error | null } {
  try {
    return { text: UTF8.decode(bytes), notUtf8: null };
  } catch {
    return { text: LOSSY.decode(bytes), notUtf8: new NotUtf8Error(firstNonUtf8Byte(bytes)) };
  }
}

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629 §4: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or the length when all do. Only run once the decoder has refused.
 */
export function firstNonUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const [length, low, high] = sequenceOf(lead);
    if (!length || i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return i;
}

/** A lead byte's sequence length and the range of its second byte (the others are 80-BF); length 0: no lead byte. */
function sequenceOf(lead: number): [length: number, low: number, high: number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf]; // overlong below
  if (lead === 0xed) return [3, 0x80, 0x9f]; // surrogates above
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf]; // overlong below
  if (lead === 0xf4) return [4, 0x80, 0x8f]; // past U+10FFFF above
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  return [0, 0, 0];
}
