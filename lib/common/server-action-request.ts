import { env } from '@/lib/env';
import type { HeaderReader } from './client-address';
import { nestsDeeperThan } from './json-nesting';

/**
 * What proxy.ts lets through to a server action: Next decodes the body with React's decodeReply before any action
 * runs, and answers whatever that decoder throws on with a bare 500 (the stack included, in development). The shop's
 * actions take plain JSON-able arguments, and the sign-in, sign-up, log-out and unsubscribe forms pass a FormData.
 * For those React's encodeReply (react-server-dom 19.x) sends a JSON array in which a string starting with `$` is one
 * of these encodings (parseModelString on the server):
 * - `$$…`, a string that started with `$`; `$undefined`, `$NaN`, `$Infinity`, `$-Infinity`, `$-0`;
 *   `$D<date>` (a Date); `$n<digits>` (a bigint, at most 300 digits);
 * - in a multipart body only, `$K<id>`: a FormData whose entries are the fields `_<id>_<name>`.
 * Every other reference (outlined parts `$1`, Maps `$Q`, Sets `$W`, Blobs `$B`, typed arrays, streams, promises `$@`,
 * server references `$h`, temporary references `$T`, …) is one no page of the shop sends, and the decoder throws on
 * most of them when the part they name is missing: refused here.
 */

/** Objects and arrays within objects and arrays: the shop's deepest argument (a cart line) is 3 in; React revives
 * recursively, so 10,000 levels overflowed its stack. */
export const MAX_ARGUMENT_DEPTH = 32;

/** React's `arraySizeLimit` (its default): slots in arrays, `$$` strings and bigints beyond it throw. Counted over
 * the whole body, which is never less than React counts. */
const ARRAY_SLOT_LIMIT = 1_000_000;
const MAX_BIGINT_DIGITS = 300;

const CONSTANTS = new Set(['$undefined', '$NaN', '$Infinity', '$-Infinity', '$-0']);
const FORM_DATA_REFERENCE = /^\$K[0-9a-f]+$/;
const FORM_DATA_ENTRY = /^_[0-9a-f]+_/;

/** True when `text` is a JSON array of plain data in React's encoding; `$K` references only `inForm` (multipart). */
export function isArgumentList(text: string, { inForm = false } = {}): boolean {
  // Depth on the bytes first, as the ingest does: JSON.parse of a 1 MB body 500,000 levels deep takes 0.1–0.4 s.
  if (nestsDeeperThan(Buffer.from(text), MAX_ARGUMENT_DEPTH)) return false;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return false;
  }
  let slots = ARRAY_SLOT_LIMIT;
  const plainString = (s: string) => {
    if (!s.startsWith('$') || CONSTANTS.has(s)) return true;
    if (s.startsWith('$$')) return (slots -= s.length - 1) >= 0;
    if (s.startsWith('$D')) return !Number.isNaN(Date.parse(s.slice(2)));
    if (s.startsWith('$n')) return /^-?\d+$/.test(s.slice(2)) && s.length - 2 <= MAX_BIGINT_DIGITS;
    return inForm && FORM_DATA_REFERENCE.test(s);
  };
  const plain = (value: unknown): boolean => {
    if (typeof value === 'string') return plainString(value);
    if (typeof value !== 'object' || value === null) return true;
    if (Array.isArray(value) && (slots -= value.length + 1) < 0) return false;
    return Object.values(value).every(plain);
  };
  return Array.isArray(root) && plain(root);
}

/**
 * True for the multipart body React sends when an argument is a FormData: the arguments in field `0`, and the
 * FormData's entries as text fields `_<id>_<name>` (the shop's forms have no file inputs). Anything else, a body
 * that is no multipart at all among them, is not one.
 */
export async function isFormArgumentList(body: ArrayBuffer, contentType: string): Promise<boolean> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return false;
  }
  const root = form.get('0');
  if (typeof root !== 'string' || form.getAll('0').length !== 1) return false;
  const entriesOk = [...form.entries()].every(
    ([name, value]) => name === '0' || (FORM_DATA_ENTRY.test(name) && typeof value === 'string'),
  );
  return entriesOk && isArgumentList(root, { inForm: true });
}

/**
 * Next's own check against cross-site requests (its action handler): an `Origin` whose host is not the request's
 * is refused, with a 500. A request without `Origin` (not a browser's) goes on, as in Next; an `Origin` that is no
 * URL is refused. The request's host is `X-Forwarded-Host`'s first value (as Next reads it) only behind TRUST_PROXY,
 * else `Host` alone: a client's own `X-Forwarded-Host: evil.com` made `Origin: http://evil.com` same-site. (Without
 * TRUST_PROXY proxy.ts also drops the header, so Next's check compares with Host too.) next.config.ts sets no
 * `serverActions.allowedOrigins`: one added there must be let through here too.
 */
export function isCrossOrigin(headers: HeaderReader, trustedProxies = env().trustedProxies): boolean {
  const origin = headers.get('origin');
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = origin === 'null' ? 'null' : new URL(origin).host;
  } catch {
    return true;
  }
  if (originHost === '') return false; // Next treats an origin without a host as none
  const forwarded = trustedProxies === 0 ? null : headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return originHost !== (forwarded || headers.get('host'));
}
