import { Link } from '@/components/layout/link';
import { CollectionCard } from '@/components/collection/collection-card';
import { ProductGrid } from '@/components/product/product-grid';
import { getProductByHandle, listCollections, listFeaturedProducts } from '@/lib/shop/domain/catalog';
import { ProductImage } from '@/components/product/product-image';

export default function HomePage() {
  const hero = getProductByHandle('barrier-repair-ritual');
  return (
    <>
      <section className="bg-gradient-to-b from-white to-cream">
        <div className="mx-auto grid max-w-6xl items-center gap-10 px-4 py-14 sm:px-6 md:grid-cols-2 md:py-20">
          <div>
            <p className="text-sm font-semibold tracking-widest text-brand uppercase">Skincare that fits your skin</p>
            <h1 className="mt-4 text-4xl font-semibold tracking-tight text-stone-950 sm:text-5xl">
              Fewer steps. Calmer, brighter skin.
            </h1>
            <p className="mt-5 max-w-md text-lg text-stone-600">
              Clean, clinically-minded formulas in routines built for your skin type. Not sure where to start? The
              two-minute quiz picks for you.
            </p>
            <div className="mt-8 flex flex-wrap gap-3">
              <Link href="/quiz" className="btn-primary">
                Take the skin quiz
              </Link>
              <Link href="/collections/bundles" className="btn-secondary">
                Shop routines
              </Link>
            </div>
          </div>
          {hero && (
            <Link
              href={`/products/${hero.handle}`}
              className="group block overflow-hidden rounded-3xl bg-white shadow-sm"
            >
              <ProductImage
                src={hero.image}
                alt={`${hero.name}: cleanser, serum and cream`}
                width={800}
                height={800}
                preload
                className="aspect-square w-full transition duration-300 group-hover:scale-[1.02]"
              />
            </Link>
          )}
        </div>
      </section>

      <section aria-labelledby="collections-heading" className="mx-auto max-w-6xl px-4 py-14 sm:px-6">
        <h2 id="collections-heading" className="text-2xl font-semibold tracking-tight">
          Shop by step
        </h2>
        <ul className="mt-6 grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
          {listCollections().map((c) => (
            <li key={c.id}>
              <CollectionCard collection={c} />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="featured-heading" className="mx-auto max-w-6xl px-4 py-6 sm:px-6">
        <div className="mb-6 flex items-end justify-between">
          <h2 id="featured-heading" className="text-2xl font-semibold tracking-tight">
            Bestsellers
          </h2>
          <Link href="/collections" className="text-sm font-medium text-brand hover:text-brand-dark">
            Shop all <span aria-hidden="true">→</span>
          </Link>
        </div>
        {/* Below the hero and the collections at every width: eager cards would be hinted in the head and load
            alongside the hero picture, the page's LCP. */}
        <ProductGrid products={listFeaturedProducts()} label="Bestsellers" eagerCount={0} />
      </section>

      <section className="mx-auto mt-14 max-w-6xl px-4 sm:px-6">
        <div className="flex flex-col items-start gap-4 rounded-3xl bg-brand px-8 py-10 text-white sm:flex-row sm:items-center sm:justify-between">
          <div>
            <h2 className="text-2xl font-semibold">Dry, oily, combination or sensitive?</h2>
            <p className="mt-1 text-white">Four questions, one routine that suits you.</p>
          </div>
          <Link
            href="/quiz"
            className="inline-flex rounded-full bg-white px-6 py-3 text-sm font-semibold text-brand-dark hover:bg-cream"
          >
            Find my routine
          </Link>
        </div>
      </section>
    </>
  );
}
