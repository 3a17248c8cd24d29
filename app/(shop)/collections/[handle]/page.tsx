import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CollectionFilters } from '@/components/collection/collection-filters';
import { CollectionViewed } from '@/components/collection/collection-viewed';
import { ProductGrid } from '@/components/product/product-grid';
import { getCollectionByHandle, listCollections, productsInCollection } from '@/lib/shop/domain/catalog';
import { collectionViewQuery, filterProducts, hasFilters, parseCollectionView } from '@/lib/shop/domain/filters';
import { sortProducts } from '@/lib/shop/domain/sort';

type Props = {
  params: Promise<{ handle: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const dynamicParams = false;

export function generateStaticParams() {
  return listCollections().map((c) => ({ handle: c.handle }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const collection = getCollectionByHandle((await params).handle);
  return collection ? { title: collection.name, description: collection.description } : {};
}

export default async function CollectionPage({ params, searchParams }: Props) {
  const collection = getCollectionByHandle((await params).handle);
  if (!collection) notFound();
  const view = parseCollectionView(await searchParams);
  const all = productsInCollection(collection);
  const products = sortProducts(filterProducts(all, view), view.sort);
  const filtered = hasFilters(view);
  const clearHref = `/collections/${collection.handle}${collectionViewQuery({ ...view, skin: [], price: undefined })}`;

  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      {/* The collection's size, not the filtered count: filtering is not a new view of another list. */}
      <CollectionViewed collectionId={collection.id} name={collection.name} itemCount={all.length} />
      <header className="border-b border-stone-200 pb-6">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">{collection.name}</h1>
        <p className="mt-2 max-w-xl text-stone-600">{collection.description}</p>
      </header>
      <div className="mt-6">
        <CollectionFilters view={view} />
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
        <ProductGrid
          products={products}
          label={`${collection.name} products`}
          empty={
            <div className="rounded-2xl bg-white p-8 text-center">
              <p className="font-medium">No {collection.name.toLowerCase()} match these filters.</p>
              <Link href={clearHref} scroll={false} className="btn-secondary mt-4">
                Clear filters
              </Link>
            </div>
          }
        />
      </section>
    </div>
  );
}
