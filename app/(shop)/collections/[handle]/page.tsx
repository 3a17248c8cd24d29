import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CollectionResults } from '@/components/collection/collection-results';
import { CollectionViewed } from '@/components/collection/collection-viewed';
import { ProductCard } from '@/components/product/product-card';
import { getCollectionByHandle, listCollections, productsInCollection } from '@/lib/shop/domain/catalog';
import { bandCardKey, bandsWithOwnCard, priceRangeLabels, sizesInBand, toFilterable } from '@/lib/shop/domain/filters';

type Props = { params: Promise<{ handle: string }> };

export const dynamicParams = false;

export function generateStaticParams() {
  return listCollections().map((c) => ({ handle: c.handle }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const collection = getCollectionByHandle((await params).handle);
  return collection ? { title: collection.name, description: collection.description } : {};
}

// Prerendered for every collection at build (dynamicParams = false: any other handle is a 404); the filters in
// the query string are applied in the browser (CollectionResults), which picks and orders the product cards rendered
// here: the cards' code stays on the server.
export default async function CollectionPage({ params }: Props) {
  const collection = getCollectionByHandle((await params).handle);
  if (!collection) notFound();
  const all = productsInCollection(collection);

  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      {/* The collection's size, not the filtered count: filtering is not a new view of another list. */}
      <CollectionViewed collectionId={collection.id} name={collection.name} itemCount={all.length} />
      <header className="border-b border-stone-200 pb-6">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">{collection.name}</h1>
        <p className="mt-2 max-w-xl text-stone-600">{collection.description}</p>
      </header>
      <CollectionResults
        collection={{ handle: collection.handle, name: collection.name }}
        products={all.map(toFilterable)}
        priceLabels={priceRangeLabels()}
        cards={Object.fromEntries(
          all.flatMap((p, i) => [
            [p.id, <ProductCard key={p.id} product={p} eager={i < 4} />],
            // Under a price filter that only some of its sizes fall in, the card shows and opens those.
            ...bandsWithOwnCard(p.variants).map((band) => [
              bandCardKey(p.id, band),
              <ProductCard key={band} product={p} sizes={sizesInBand(p.variants, band)} eager={i < 4} />,
            ]),
          ]),
        )}
      />
    </div>
  );
}
