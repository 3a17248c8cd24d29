import { z } from 'zod';
import { withoutLoneSurrogates } from '@/lib/common/unicode';
import { listProducts, productIngredients, type Product } from './catalog';

/** The longest query kept; the rest of a longer one is cut off (the search field has the same maxlength). */
export const MAX_QUERY_LENGTH = 100;

// Control characters (NUL, %01…) read as spaces.
const CONTROL_OR_SPACE = /[\s\p{Cc}]+/gu;
// Invisible format characters (zero-width space, BOM, word joiner, soft hyphen…) at either end are no part of the
// query: one of only those is empty, not a search. Inside a query they stay (a ZWJ joins an emoji sequence). The
// trailing run is tried only where a run starts (the lookbehind): `[\s\p{Cf}]+$` alone was tried from every
// position of a run inside the query, quadratic on the whole `?q=` (`a` + (space, soft hyphen) × 16,000 + `a`: 0.6 s
// a pass, 7.9 s on the auditor's machine; now 3 ms for the whole read). Linear, so the query is not cut before it is read: runs of spaces are collapsed and ends
// trimmed first, and a cut before that would change what a padded query reads as.
export const INVISIBLE_ENDS = /^[\s\p{Cf}]+|(?<![\s\p{Cf}])[\s\p{Cf}]+$/gu;

/**
 * `?q=` is user input: the first value if repeated, control characters and runs of spaces made one space, cut to
 * MAX_QUERY_LENGTH (UTF-16 units, like the field's maxlength) without leaving half an emoji, invisible characters
 * trimmed from its ends like spaces (INVISIBLE_ENDS); anything else
 * (missing, not text) is the empty query, which shows the search page's prompt instead of results. The query is
 * tracked as Products Searched: the pipeline refuses text with NUL or a lone surrogate, so neither may survive.
 */
export const searchQuerySchema = z.preprocess(
  (raw) => (Array.isArray(raw) ? raw[0] : raw),
  z
    .string()
    .transform((q) => {
      const text = q.replace(CONTROL_OR_SPACE, ' ').replace(INVISIBLE_ENDS, '');
      return withoutLoneSurrogates(text.slice(0, MAX_QUERY_LENGTH)).replace(INVISIBLE_ENDS, '');
    })
    .catch(''),
);

// Lower case, accents off, British spelling: "Moisturizer" finds the moisturisers, "crème" finds "creme".
const normalize = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/iz(e|er|ers|ing)\b/g, 'is$1');

const words = (text: string) =>
  normalize(text)
    .split(/[^\p{L}\p{N}%]+/u)
    .filter(Boolean);

// A plural query word finds the singular ("serums" → "serum", "ceramides" → "ceramide").
const stem = (word: string) =>
  word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;

/** Where a query word may match, and what a match there is worth: a name hit ranks above a skin-type hit. */
function fieldsOf(product: Product) {
  return [
    { words: words(product.name), weight: 4 },
    { words: words(product.category), weight: 3 },
    { words: productIngredients(product).flatMap(words), weight: 2 },
    { words: product.skinTypes.flatMap((t) => words(`${t} skin`)), weight: 1 },
  ];
}

/**
 * Products where every word of the query starts a word of the name, category, key ingredients or skin types
 * ("oil" finds "Oil-Free" and "oily skin", not "soil"), best first: name hits, then category, ingredient and
 * skin-type hits; ties keep catalogue order. The empty query finds nothing: the page shows its prompt.
 */
export function searchProducts(query: string, products: readonly Product[] = listProducts()): Product[] {
  const terms = words(query).map(stem);
  if (terms.length === 0) return [];
  const scored = products.flatMap((product, index) => {
    const fields = fieldsOf(product);
    let score = 0;
    for (const term of terms) {
      const hits = fields.filter((f) => f.words.some((w) => w.startsWith(term)));
      const best = Math.max(0, ...hits.map((f) => f.weight));
      if (best === 0) return [];
      score += best;
    }
    return [{ product, score, index }];
  });
  return scored.sort((a, b) => b.score - a.score || a.index - b.index).map((s) => s.product);
}
