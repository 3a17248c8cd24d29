'use client';

import { Link } from '@/components/layout/link';
import { useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { CollectionFilters } from '@/components/collection/collection-filters';
import { ProductList } from '@/components/product/product-list';
import type { Collection } from '@/lib/shop/domain/catalog';
import {
  bandCardKey,
  collectionViewQuery,
  filterProducts,
  hasFilters,
  parseCollectionView,
  type CollectionView,
  type Filterable,
  type PriceRangeLabels,
  sizesInBand,
} from '@/lib/shop/domain/filters';
import { sortProducts } from '@/lib/shop/domain/sort';

type Props = {
  collection: Pick<Collection, 'handle' | 'name'>;
  /** What filtering and sorting read (`toFilterable`): not the whole products, which the cards already show. */
  products: readonly Filterable[];
  /** Each product's card by product id, rendered on the server: the browser only picks and orders them. */
  cards: Record<string, ReactNode>;
  /** The price bands' labels, formatted on the server (CollectionFilters). */
  priceLabels: PriceRangeLabels;
};

/**
 * A collection's filters, count and grid. The page is prerendered, so `?skin=…&price=…&sort=…` is read in the
 * browser: the static HTML lists the whole collection, and the browser shows the view the URL asks for. The grid
 * and filters stay one tree from hydration on (only the URL reader waits in Suspense), so nothing a shopper does
 * while the page loads is lost to a fallback swapped for another tree.
 */
export function CollectionResults(props: Props) {
  const [view, setView] = useState(() => parseCollectionView({}));
  return (
    <>
      <Suspense fallback={null}>
        <ViewFromUrl onView={setView} />
      </Suspense>
      <ResultsView {...props} view={view} />
    </>
  );
}

function ViewFromUrl({ onView }: { onView: (view: CollectionView) => void }) {
  const params = useSearchParams();
  const query = params.toString();
  useEffect(() => {
    const current = new URLSearchParams(query);
    onView(
      parseCollectionView({ skin: current.getAll('skin'), price: current.get('price'), sort: current.get('sort') }),
    );
  }, [query, onView]);
  return null;
}

function ResultsView({ collection, products: all, cards, priceLabels, view }: Props & { view: CollectionView }) {
  // Under a price filter a product is sorted, priced and opened by its sizes in the band.
  const inBand = filterProducts(all, view).map((p) => ({ ...p, variants: sizesInBand(p.variants, view.price) }));
  const products = sortProducts(inBand, view.sort);
  const filtered = hasFilters(view);
  const clearHref = `/collections/${collection.handle}${collectionViewQuery({ ...view, skin: [], price: undefined })}`;
  return (
    <>
      <div className="mt-6">
        <CollectionFilters view={view} priceLabels={priceLabels} />
      </div>
      <section aria-labelledby="products-heading" className="mt-8">
        <div className="mb-6 flex flex-wrap items-baseline gap-x-4 gap-y-1">
          <h2 id="products-heading" className="sr-only">
            Products
          </h2>
          <p role="status" className="text-sm text-stone-600" data-testid="product-count">
            {filtered ? `${products.length} of ${all.length} products` : `${all.length} products`}
          </p>
          {filtered && (
            <Link href={clearHref} scroll={false} className="text-sm font-medium text-brand underline">
              Clear filters
            </Link>
          )}
        </div>
        {products.length === 0 ? (
          <div className="rounded-2xl bg-white p-8 text-center">
            <p className="font-medium">No {collection.name.toLowerCase()} match these filters.</p>
            <Link href={clearHref} scroll={false} className="btn-secondary mt-4">
              Clear filters
            </Link>
          </div>
        ) : (
          <ProductList label={`${collection.name} products`}>
            {products.map((p) => (
              <li key={p.id} className="min-w-0">
                {(view.price && cards[bandCardKey(p.id, view.price)]) || cards[p.id]}
              </li>
            ))}
          </ProductList>
        )}
      </section>
    </>
  );
}
