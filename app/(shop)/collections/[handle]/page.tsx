import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CollectionSort } from '@/components/collection/collection-sort';
import { CollectionViewed } from '@/components/collection/collection-viewed';
import { ProductGrid } from '@/components/product/product-grid';
import { getCollectionByHandle, listCollections, productsInCollection } from '@/lib/shop/domain/catalog';
import { sortParamSchema, sortProducts } from '@/lib/shop/domain/sort';

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
  const sort = sortParamSchema.parse((await searchParams).sort);
  const products = sortProducts(productsInCollection(collection), sort);

  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <CollectionViewed collectionId={collection.id} name={collection.name} itemCount={products.length} />
      <header className="flex flex-col gap-6 border-b border-stone-200 pb-6 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">{collection.name}</h1>
          <p className="mt-2 max-w-xl text-stone-600">{collection.description}</p>
          <p className="mt-1 text-sm text-stone-500">{products.length} products</p>
        </div>
        <CollectionSort value={sort} />
      </header>
      <div className="mt-8">
        <ProductGrid products={products} label={`${collection.name} products`} />
      </div>
    </div>
  );
}
