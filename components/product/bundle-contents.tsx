import { Link } from '@/components/layout/link';
import { findVariantBySku, type Product } from '@/lib/shop/domain/catalog';
import { formatMoney } from '@/lib/shop/domain/pricing';

/** "What's inside" for a bundle, with what the parts cost on their own. */
export function BundleContents({ product }: { product: Product }) {
  const parts = (product.bundleOf ?? []).flatMap((sku) => findVariantBySku(sku) ?? []);
  if (parts.length === 0) return null;
  const worth = parts.reduce((sum, p) => sum + p.variant.priceCents, 0);
  const price = product.variants[0]!.priceCents;
  return (
    <section aria-labelledby="bundle-contents" className="rounded-2xl bg-white p-5">
      <h2 id="bundle-contents" className="font-semibold">
        What&apos;s inside
      </h2>
      <ul className="mt-3 divide-y divide-stone-100 text-sm">
        {parts.map(({ product: part, variant }) => (
          <li key={variant.sku} className="flex justify-between gap-4 py-2">
            <Link href={`/products/${part.handle}?variant=${variant.id}`} className="hover:underline">
              {part.name} <span className="text-stone-500">({variant.name})</span>
            </Link>
            <span className="text-stone-500 tabular-nums">{formatMoney(variant.priceCents)}</span>
          </li>
        ))}
      </ul>
      {worth > price && (
        <p className="mt-3 text-sm font-medium text-emerald-700">
          Worth {formatMoney(worth)} on their own — you save {formatMoney(worth - price)}.
        </p>
      )}
    </section>
  );
}
