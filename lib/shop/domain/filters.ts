import type { Product, SkinType } from './catalog';
import { isSkinType, skinTypes } from './catalog/skin-types';
import { formatMoney } from './money';
import { parseSortParam, type SortKey, type Sortable } from './sort';

export const SKIN_TYPE_LABELS: Record<SkinType, string> = {
  dry: 'Dry',
  oily: 'Oily',
  combination: 'Combination',
  sensitive: 'Sensitive',
};

/** Price bands in cents, bounds inclusive. A product is in a band when one of its sizes is. */
export const PRICE_RANGES = [
  { value: 'under-20', min: 0, max: 1999 },
  { value: '20-40', min: 2000, max: 4000 },
  { value: 'over-40', min: 4001, max: Number.POSITIVE_INFINITY },
] as const;

export type PriceRange = (typeof PRICE_RANGES)[number]['value'];

export function priceRangeLabel(range: (typeof PRICE_RANGES)[number]): string {
  if (range.min === 0) return `Under ${formatMoney(range.max + 1)}`;
  if (range.max === Number.POSITIVE_INFINITY) return `Over ${formatMoney(range.min - 1)}`;
  return `${formatMoney(range.min)} to ${formatMoney(range.max)}`;
}

/** Each price band's label by its value: formatted by the server page, so the filters' island formats no money. */
export type PriceRangeLabels = Readonly<Record<PriceRange, string>>;

export function priceRangeLabels(): PriceRangeLabels {
  return Object.fromEntries(PRICE_RANGES.map((r) => [r.value, priceRangeLabel(r)])) as Record<PriceRange, string>;
}

const asList = (raw: unknown): unknown[] => (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);

export type CollectionView = { skin: SkinType[]; price?: PriceRange; sort: SortKey };

/**
 * A collection's `?skin=…&price=…&sort=…` (user input, possibly edited by hand): unknown skin types are dropped
 * and the rest put in one order, an unknown price band or sort means none. So every URL describes a valid view.
 * Plain code, not zod: the collection page's filters run it in the browser.
 */
export function parseCollectionView(params: Record<string, unknown>): CollectionView {
  const chosen = new Set(asList(params.skin).filter(isSkinType));
  const price = PRICE_RANGES.find((r) => r.value === params.price)?.value;
  return { skin: skinTypes.filter((t) => chosen.has(t)), price, sort: parseSortParam(params.sort) };
}

/** The query string of a view, defaults left out ("" for the collection as it comes), so URLs stay short. */
export function collectionViewQuery(view: CollectionView): string {
  const params = new URLSearchParams();
  for (const type of view.skin) params.append('skin', type);
  if (view.price) params.set('price', view.price);
  if (view.sort !== 'featured') params.set('sort', view.sort);
  const query = params.toString();
  return query ? `?${query}` : '';
}

export const hasFilters = (view: CollectionView) => view.skin.length > 0 || view.price !== undefined;

/**
 * What filtering and sorting read of a product: all a collection page's browser code gets (not descriptions,
 * images or ingredients), so the page's RSC payload stays small.
 */
export type Filterable = Pick<Product, 'id' | 'skinTypes'> & Sortable;

/** Only the fields of `Filterable`, e.g. to pass a product list to a client component. */
export const toFilterable = ({ id, name, skinTypes, variants }: Filterable): Filterable => ({
  id,
  name,
  skinTypes,
  variants: variants.map(({ priceCents }) => ({ priceCents })),
});

/** A product's sizes within a price band (all of them without one): what its card shows and opens under the filter. */
export function sizesInBand<V extends { priceCents: number }>(variants: readonly V[], price?: PriceRange): V[] {
  const range = PRICE_RANGES.find((r) => r.value === price);
  return range ? variants.filter((v) => v.priceCents >= range.min && v.priceCents <= range.max) : [...variants];
}

/**
 * The bands where a product's card differs from its usual one (some of its sizes in the band, not all): "From $26"
 * under "Over $40" contradicts the filter, so the collection page renders a card per such band (bandCardKey).
 */
export const bandsWithOwnCard = (variants: readonly { priceCents: number }[]): PriceRange[] =>
  PRICE_RANGES.map((r) => r.value).filter((band) => {
    const inBand = sizesInBand(variants, band).length;
    return inBand > 0 && inBand < variants.length;
  });

export const bandCardKey = (productId: string, band: PriceRange) => `${productId}@${band}`;

/** Products suiting any of the chosen skin types (all when none is chosen) with a size in the price band. */
export function filterProducts<P extends Filterable>(
  products: readonly P[],
  view: Pick<CollectionView, 'skin' | 'price'>,
): P[] {
  return products.filter(
    (p) =>
      (view.skin.length === 0 || p.skinTypes.some((t) => view.skin.includes(t))) &&
      sizesInBand(p.variants, view.price).length > 0,
  );
}
