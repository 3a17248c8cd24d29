import { decode } from 'punycode/';

/**
 * One spelling per mail domain: `bücher.de`, `BÜCHER.de` and its ASCII form `xn--bcher-kva.de` are one domain, so
 * `user@bücher.de` and `user@xn--bcher-kva.de` are one mailbox, one customer and one person. The domain gets IDNA's
 * mapping (UTS #46, what browsers and Node apply to a URL's host: case, width, NFC), then each A-label (`xn--…`)
 * is written as the Unicode it encodes. Unicode rather than ASCII because that is what a shopper typed and reads
 * back (the account page, the ops console, a message's To), and what the shop stored before this rule.
 *
 * Runs in the browser too (lib/tracking is copied into other shops): the WHATWG URL parser does the mapping
 * everywhere, and punycode.js (RFC 3492) decodes A-labels. Imported as `punycode/`: a bare `punycode` is Node's
 * deprecated built-in module.
 */

/** `domain` in its one spelling; a domain that is no valid IDNA name comes back lower-cased, as before. */
export function canonicalDomain(domain: string): string {
  const lower = domain.toLowerCase();
  // Most addresses: plain ASCII, nothing to map or decode.
  if (!/[^\x00-\x7f]|xn--/.test(lower)) return lower;
  const ascii = asciiHost(lower);
  if (ascii === null) return lower;
  const labels = ascii.split('.').map((label) => (label.startsWith('xn--') ? decodeALabel(label) : label));
  return labels.includes(null) ? lower : labels.join('.').normalize('NFC');
}

/** An A-label's Unicode; null for one that does not decode or encodes ASCII only (`xn--zz-`: no IDNA label). */
function decodeALabel(label: string): string | null {
  let decoded: string;
  try {
    decoded = decode(label.slice(4));
  } catch {
    return null;
  }
  return /[^\x00-\x7f]/.test(decoded) ? decoded : null;
}

/**
 * An address (normalized) with its domain in ASCII (`user@xn--bcher-kva.de`): how some clients send it, for a search
 * of stored raw text that must find either spelling. The address itself when its domain is ASCII already.
 */
export function asciiSpelling(email: string): string {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (at < 0 || !/[^\x00-\x7f]/.test(domain)) return email;
  const ascii = asciiHost(domain);
  return ascii === null ? email : `${email.slice(0, at)}@${ascii}`;
}

/** The domain as the WHATWG URL parser spells a host (IDNA-mapped, ASCII); null when it is no host name. */
function asciiHost(domain: string): string | null {
  // Only a name made of labels is parsed as a host (a `:`, `/`, `@`... would make the URL mean something else).
  if (/[\x00-\x20/?#@:[\]\\%]/.test(domain)) return null;
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
}
