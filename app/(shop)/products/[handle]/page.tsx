import type { Metadata } from 'next';
import { Link } from '@/components/layout/link';
import { notFound } from 'next/navigation';
import { BelowFold } from '@/components/layout/below-fold';
import { BundleContents } from '@/components/product/bundle-contents';
import { ProductGrid } from '@/components/product/product-grid';
import { ProductImage } from '@/components/product/product-image';
import { ProductPurchase } from '@/components/product/product-purchase';
import { toPurchasable, variantPrices } from '@/lib/shop/domain/catalog/product-helpers';
import { formatMoney, getCountry } from '@/lib/shop/domain/pricing';
import {
  collectionForProduct,
  getProductByHandle,
  listProducts,
  productsInCollection,
} from '@/lib/shop/domain/catalog';

const freeUsShipping = getCountry('US').freeShippingOverCents ?? 0;

type Props = { params: Promise<{ handle: string }> };

export const dynamicParams = false;

export function generateStaticParams() {
  return listProducts().map((p) => ({ handle: p.handle }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const product = getProductByHandle((await params).handle);
  return product ? { title: product.name, description: product.description } : {};
}

// Prerendered for every product at build (dynamicParams = false: any other handle is a 404). Nothing here depends
// on the request; the size in `?variant=` is read in the browser (ProductPurchase).
export default async function ProductPage({ params }: Props) {
  const product = getProductByHandle((await params).handle);
  if (!product) notFound();
  const collection = collectionForProduct(product.id);
  const related = collection
    ? productsInCollection(collection)
        .filter((p) => p.id !== product.id)
        .slice(0, 4)
    : [];

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
      <nav aria-label="Breadcrumb" className="text-sm text-stone-500">
        <ol className="flex flex-wrap gap-2">
          <li>
            <Link href="/" className="hover:text-stone-900">
              Home
            </Link>{' '}
            /
          </li>
          {collection && (
            <li>
              <Link href={`/collections/${collection.handle}`} className="hover:text-stone-900">
                {collection.name}
              </Link>{' '}
              /
            </li>
          )}
          <li aria-current="page" className="text-stone-900">
            {product.name}
          </li>
        </ol>
      </nav>

      <div className="mt-6 grid gap-10 md:grid-cols-2">
        <div className="h-fit overflow-hidden rounded-3xl bg-white md:sticky md:top-24">
          <ProductImage
            src={product.image}
            alt={`${product.name} packaging`}
            width={800}
            height={800}
            preload
            className="aspect-square w-full"
          />
        </div>
        <div className="flex flex-col gap-6">
          <div>
            <p className="text-sm font-medium tracking-wider text-brand uppercase">{product.category}</p>
            <h1 className="mt-2 text-3xl font-semibold tracking-tight sm:text-4xl">{product.name}</h1>
          </div>
          <ProductPurchase key={product.id} product={toPurchasable(product)} prices={variantPrices(product)} />
          <p className="leading-relaxed text-stone-700">{product.description}</p>
          <BundleContents product={product} />
          <ul className="grid grid-cols-3 gap-3 text-center text-xs text-stone-600">
            <li className="rounded-xl bg-white p-3">Free US shipping from {formatMoney(freeUsShipping)}</li>
            <li className="rounded-xl bg-white p-3">Fragrance-free</li>
            <li className="rounded-xl bg-white p-3">30-day returns</li>
          </ul>
        </div>
      </div>

      {related.length > 0 && (
        // Its own boundary: a product with a long description must not push the whole page past React's outlining
        // limit (see BelowFold).
        <BelowFold className="mt-20 min-h-96">
          <section aria-labelledby="related" className="mt-20">
            <h2 id="related" className="mb-6 text-2xl font-semibold tracking-tight">
              More {collection!.name.toLowerCase()}
            </h2>
            <ProductGrid products={related} label={`More ${collection!.name.toLowerCase()}`} eagerCount={0} />
          </section>
        </BelowFold>
      )}
    </div>
  );
}
