import { Link } from '@/components/layout/link';
import type { Product } from '@/lib/shop/domain/catalog';
import { ProductPrice } from './product-price';
import { ProductImage } from './product-image';

/**
 * Name, price and category stacked under the image: in the phones' two-column grid a card is ~165 px wide,
 * too narrow for a name beside "From $14.00". The whole card is the link (the name's ::after covers it).
 */
export function ProductCard({
  product,
  sizes,
  eager = false,
  headingLevel = 3,
}: {
  product: Product;
  /** Only these sizes (a price filter's): the price shown is theirs, and the card opens the cheapest of them. */
  sizes?: Product['variants'];
  eager?: boolean;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const opened = sizes && sizes.reduce((a, b) => (b.priceCents < a.priceCents ? b : a));
  const href = `/products/${product.handle}${opened ? `?variant=${encodeURIComponent(opened.id)}` : ''}`;
  return (
    <article className="group relative flex flex-col">
      <div className="overflow-hidden rounded-2xl bg-white">
        <ProductImage
          src={product.image}
          alt=""
          width={400}
          height={400}
          loading={eager ? 'eager' : 'lazy'}
          className="aspect-square w-full object-cover transition duration-300 group-hover:scale-105"
        />
      </div>
      <div className="mt-3 flex flex-col gap-1">
        <Heading className="font-medium break-words text-stone-900">
          <Link href={href} className="after:absolute after:inset-0">
            {product.name}
          </Link>
        </Heading>
        <p className="text-sm font-medium text-stone-900">
          <ProductPrice product={sizes ? { ...product, variants: sizes } : product} />
        </p>
        <p className="text-sm text-stone-600">{product.category}</p>
      </div>
    </article>
  );
}
