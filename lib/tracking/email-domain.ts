/**
 * One spelling per mail domain: `bücher.de`, `BÜCHER.de` and its ASCII form `xn--bcher-kva.de` are one domain, so
 * `user@bücher.de` and `user@xn--bcher-kva.de` are one mailbox, one customer and one person. The domain gets IDNA's
 * mapping (UTS #46, what browsers and Node apply to a URL's host: case, width, NFC), then each A-label (`xn--…`)
 * is written as the Unicode it encodes. Unicode rather than ASCII because that is what a shopper typed and reads
 * back (the account page, the ops console, a message's To), and what the shop stored before this rule.
 *
 * No Node module (lib/tracking runs in the browser too, and is copied into other shops): the WHATWG URL parser
 * does the mapping everywhere, and the Punycode decoding (RFC 3492) is below.
 */

/** `domain` in its one spelling; a domain that is no valid IDNA name comes back lower-cased, as before. */
export function canonicalDomain(domain: string): string {
  const lower = domain.toLowerCase();
  // Most addresses: plain ASCII, nothing to map or decode.
  if (!/[^\x00-\x7f]|xn--/.test(lower)) return lower;
  // Only a name made of labels is parsed as a host (a `:`, `/`, `@`... would make the URL mean something else).
  if (/[\x00-\x20/?#@:[\]\\%]/.test(lower)) return lower;
  let ascii: string;
  try {
    ascii = new URL(`http://${lower}/`).hostname;
  } catch {
    return lower;
  }
  const labels = ascii.split('.').map((label) => (label.startsWith('xn--') ? decodeALabel(label) : label));
  return labels.includes(null) ? lower : labels.join('.').normalize('NFC');
}

/** An A-label's Unicode; null for one that encodes ASCII only (`xn--zz-`: no IDNA label, though URLs let it by). */
function decodeALabel(label: string): string | null {
  const decoded = decodePunycode(label.slice(4));
  return decoded !== null && /[^\x00-\x7f]/.test(decoded) ? decoded : null;
}

/**
 * An address (normalized) with its domain in ASCII (`user@xn--bcher-kva.de`): how some clients send it, for a search
 * of stored raw text that must find either spelling. The address itself when its domain is ASCII already.
 */
export function asciiSpelling(email: string): string {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (at < 0 || !/[^\x00-\x7f]/.test(domain)) return email;
  try {
    return `${email.slice(0, at)}@${new URL(`http://${domain}/`).hostname}`;
  } catch {
    return email;
  }
}

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const MAX_INT = 0x7fffffff;

/** RFC 3492 §6.1. */
function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  for (; d > ((BASE - T_MIN) * T_MAX) >> 1; k += BASE) d = Math.floor(d / (BASE - T_MIN));
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

/** a–z are 0–25, 0–9 are 26–35 (either case: the host is lower-cased already); anything else is no digit. */
function digit(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 26;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  return BASE;
}

/** The Unicode a Punycode string (an A-label without `xn--`) encodes, or null when it encodes none (RFC 3492 §6.2). */
export function decodePunycode(input: string): string | null {
  const basicEnd = Math.max(input.lastIndexOf('-'), 0);
  const output: number[] = [];
  for (let j = 0; j < basicEnd; j++) {
    const code = input.charCodeAt(j);
    if (code >= 0x80) return null;
    output.push(code);
  }
  let n = 0x80;
  let bias = 72;
  let i = 0;
  for (let index = basicEnd > 0 ? basicEnd + 1 : 0; index < input.length;) {
    const oldI = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (index >= input.length) return null;
      const d = digit(input.charCodeAt(index++));
      if (d >= BASE || d > Math.floor((MAX_INT - i) / w)) return null;
      i += d * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (d < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) return null;
      w *= BASE - t;
    }
    const length = output.length + 1;
    bias = adapt(i - oldI, length, oldI === 0);
    if (Math.floor(i / length) > MAX_INT - n) return null;
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return null;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}
