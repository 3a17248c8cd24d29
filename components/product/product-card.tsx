import Image from 'next/image';
import Link from 'next/link';
import type { Product } from '@/lib/shop/domain/catalog';
import { ProductPrice } from './product-price';

export function ProductCard({ product, eager = false }: { product: Product; eager?: boolean }) {
  return (
    <article className="group relative flex flex-col">
      <div className="overflow-hidden rounded-2xl bg-white">
        <Image
          src={product.image}
          alt=""
          width={400}
          height={400}
          loading={eager ? 'eager' : 'lazy'}
          className="aspect-square w-full object-cover transition duration-300 group-hover:scale-105"
        />
      </div>
      <div className="mt-3 flex items-start justify-between gap-3">
        <div>
          <h3 className="font-medium text-stone-900">
            <Link href={`/products/${product.handle}`} className="after:absolute after:inset-0">
              {product.name}
            </Link>
          </h3>
          <p className="text-sm text-stone-500">{product.category}</p>
        </div>
        <p className="shrink-0 text-sm font-medium text-stone-900">
          <ProductPrice product={product} />
        </p>
      </div>
    </article>
  );
}
