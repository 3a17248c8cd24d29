import type { Product } from '@/lib/shop/domain/catalog';
import { ProductCard } from './product-card';

export function ProductGrid({ products, label }: { products: readonly Product[]; label: string }) {
  if (products.length === 0) {
    return <p className="rounded-2xl bg-white p-8 text-center text-stone-600">No products here yet.</p>;
  }
  return (
    <ul aria-label={label} className="grid grid-cols-2 gap-x-5 gap-y-10 md:grid-cols-3 lg:grid-cols-4">
      {products.map((p, i) => (
        <li key={p.id}>
          <ProductCard product={p} eager={i < 4} />
        </li>
      ))}
    </ul>
  );
}
