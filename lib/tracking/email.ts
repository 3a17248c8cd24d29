/**
 * The one email rule of the shop, the pipeline and the tracking layer (which cannot import lib/common: it is copied
 * into other shops). No zod here: the checkout page checks addresses with it before zod is loaded; the schema is
 * in ./email-schema.ts.
 *
 * Internationalised addresses (RFC 6531/6532: `josé@exemple.fr`, `user@bücher.de`, `用户@例子.中国`) are
 * addresses: a real shop's customers type them. Letters, marks and digits of any script are allowed where the
 * ASCII rule allowed letters and digits; no spaces, control or format characters (zero-width, bidi overrides),
 * quotes or `@`.
 */

import { canonicalDomain } from './email-domain';

const WORD = String.raw`[\p{L}\p{M}\p{N}_'+\-]`;
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}\-]*[\p{L}\p{M}\p{N}])?`;

/**
 * zod's "practical" ASCII rule (dot-separated words, the last character no `'`; a dotted domain ending in a
 * top-level label of letters) with Unicode letters, plus the RFC 5321 lengths: 64 before the `@`, 254 in all.
 * A top-level label may also be an IDNA A-label (`xn--fiqs8s`), as some clients send the domain in punycode.
 */
export const EMAIL_PATTERN = new RegExp(
  String.raw`^(?=[^@]{1,64}@)(?=.{3,254}$)(?:${WORD}+\.)*${WORD}*[\p{L}\p{M}\p{N}_+\-]@(?:${LABEL}\.)+(?:[\p{L}\p{M}]{2,}|[xX][nN]--[a-zA-Z0-9\-]+)$`,
  'u',
);

/**
 * One spelling per address, so `José@Exemple.fr`, `josé@exemple.fr` and a decomposed `jose\u0301@exemple.fr` are
 * one customer and one person: trimmed, NFC (the composed form, what keyboards mostly send), lower-cased, and the
 * domain in its one IDNA spelling (./email-domain.ts: `user@xn--bcher-kva.de` is `user@bücher.de`).
 * The local part is lower-cased too, although RFC 5321 lets a mailbox tell cases apart: the shop has always
 * treated emails case-insensitively (as every large mail provider does), and keeping that rule keeps today's
 * customers one person each. `toLowerCase` is Unicode's locale-independent mapping (É → é, Σ → σ/ς).
 */
export function normalizeEmail(email: string): string {
  const typed = email.trim().normalize('NFC').toLowerCase();
  const at = typed.lastIndexOf('@');
  return at < 0 ? typed : typed.slice(0, at + 1) + canonicalDomain(typed.slice(at + 1));
}

/** For values that may hold anything (identify traits): a non-blank string normalized, anything else null. */
export const normalizeEmailOrNull = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() ? normalizeEmail(value) : null;

/** Whether a string, exactly as given (normalize a typed one first), is an email address by the rule above. */
export const isEmailAddress = (value: string): boolean => EMAIL_PATTERN.test(value);
