import type { Metadata } from 'next';
import { CollectionCard } from '@/components/collection/collection-card';
import { listCollections } from '@/lib/shop/domain/catalog';

export const metadata: Metadata = { title: 'Shop all collections' };

export default function CollectionsPage() {
  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Shop by collection</h1>
      <ul className="mt-8 grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
        {listCollections().map((c) => (
          <li key={c.id}>
            <CollectionCard collection={c} headingLevel={2} />
          </li>
        ))}
      </ul>
    </div>
  );
}
