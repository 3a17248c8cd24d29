import { startingPriceCents } from './catalog/product-helpers';

export const SORT_OPTIONS = [
  { value: 'featured', label: 'Featured' },
  { value: 'price-asc', label: 'Price: low to high' },
  { value: 'price-desc', label: 'Price: high to low' },
  { value: 'name', label: 'Name: A to Z' },
] as const;

export type SortKey = (typeof SORT_OPTIONS)[number]['value'];

/** `?sort=` is user input: anything unknown (or repeated) falls back to the collection's own order. */
export function parseSortParam(raw: unknown): SortKey {
  return SORT_OPTIONS.find((o) => o.value === raw)?.value ?? 'featured';
}

/** What sorting reads of a product. */
export type Sortable = { name: string; variants: readonly { priceCents: number }[] };

/** Sorts by the "from" price (cheapest variant) or name; stable, so equal prices keep featured order. */
export function sortProducts<P extends Sortable>(products: readonly P[], sort: SortKey): P[] {
  const list = [...products];
  if (sort === 'price-asc') return list.sort((a, b) => startingPriceCents(a) - startingPriceCents(b));
  if (sort === 'price-desc') return list.sort((a, b) => startingPriceCents(b) - startingPriceCents(a));
  if (sort === 'name') return list.sort((a, b) => a.name.localeCompare(b.name, 'en'));
  return list;
}
