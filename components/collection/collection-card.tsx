import Image from 'next/image';
import Link from 'next/link';
import { productsInCollection, type Collection } from '@/lib/shop/domain/catalog';

export function CollectionCard({ collection }: { collection: Collection }) {
  const products = productsInCollection(collection);
  const cover = products[0];
  return (
    <article className="group relative overflow-hidden rounded-3xl bg-white">
      {cover && (
        <Image
          src={cover.image}
          alt=""
          width={400}
          height={400}
          className="aspect-[4/3] w-full object-cover transition duration-300 group-hover:scale-105"
        />
      )}
      <div className="p-5">
        <h3 className="text-lg font-semibold">
          <Link href={`/collections/${collection.handle}`} className="after:absolute after:inset-0">
            {collection.name}
          </Link>
        </h3>
        <p className="mt-1 text-sm text-stone-600">{collection.description}</p>
        <p className="mt-3 text-sm font-medium text-brand">
          {products.length} products <span aria-hidden="true">→</span>
        </p>
      </div>
    </article>
  );
}
