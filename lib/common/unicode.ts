// With the u flag a surrogate pair reads as one astral code point, so only a lone surrogate matches
// (String.prototype.isWellFormed, which tsconfig's ES2023 lib does not declare).
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATES = /\p{Surrogate}/gu;

/**
 * Whether `text` holds a lone UTF-16 surrogate (half of a pair, e.g. an emoji cut in two). SQLite and PostgreSQL
 * store text as UTF-8, where it has no encoding: it is stored as bytes that read back as other text. Used by the
 * pipeline's ingest (lib/cdp/ingest/call-shape.ts) and the shop's form fields (lib/shop/domain/fields.ts).
 */
export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

/** `text` without its lone surrogates: what is left of a pair cut in two (a length cap) is dropped, pairs are kept. */
export const withoutLoneSurrogates = (text: string): string => text.replace(LONE_SURROGATES, '');
