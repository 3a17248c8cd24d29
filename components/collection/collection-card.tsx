import { Link } from '@/components/layout/link';
import { productsInCollection, type Collection } from '@/lib/shop/domain/catalog';
import { ProductImage } from '@/components/product/product-image';

/** `headingLevel` 2 where the cards sit right under the page's h1 (the collections page). */
export function CollectionCard({ collection, headingLevel = 3 }: { collection: Collection; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const products = productsInCollection(collection);
  const cover = products[0];
  return (
    <article className="group relative overflow-hidden rounded-3xl bg-white">
      {cover && (
        <ProductImage
          src={cover.image}
          alt=""
          width={400}
          height={400}
          className="aspect-[4/3] w-full object-cover transition duration-300 group-hover:scale-105"
        />
      )}
      <div className="p-5">
        <Heading className="text-lg font-semibold">
          <Link href={`/collections/${collection.handle}`} className="after:absolute after:inset-0">
            {collection.name}
          </Link>
        </Heading>
        <p className="mt-1 text-sm text-stone-600">{collection.description}</p>
        <p className="mt-3 text-sm font-medium text-brand">
          {products.length} products <span aria-hidden="true">→</span>
        </p>
      </div>
    </article>
  );
}
