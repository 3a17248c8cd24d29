import type { ReactNode } from 'react';
import type { Product } from '@/lib/shop/domain/catalog';
import { ProductCard } from './product-card';
import { ProductList } from './product-list';

type Props = {
  products: readonly Product[];
  label: string;
  /** h3 under a section's h2 (the default); h2 where the grid sits right under the page's h1. */
  headingLevel?: 2 | 3;
  /** Shown instead of the grid when there is nothing to list. */
  empty?: ReactNode;
  /**
   * How many cards load their picture at once (above the fold); the rest load lazily. React hints eager pictures in
   * the document head, so a grid below the fold (a product page's related products) passes 0, leaving the page's
   * own picture alone at the front of the queue.
   */
  eagerCount?: number;
};

export function ProductGrid({ products, label, headingLevel = 3, empty, eagerCount = 4 }: Props) {
  if (products.length === 0) {
    return empty ?? <p className="rounded-2xl bg-white p-8 text-center text-stone-600">No products here yet.</p>;
  }
  return (
    <ProductList label={label}>
      {products.map((p, i) => (
        <li key={p.id} className="min-w-0">
          <ProductCard product={p} eager={i < eagerCount} headingLevel={headingLevel} />
        </li>
      ))}
    </ProductList>
  );
}
