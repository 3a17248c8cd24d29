import type { Metadata } from 'next';
import { Link } from '@/components/layout/link';
import { DiscoverLinks } from '@/components/layout/discover-links';
import { ProductGrid } from '@/components/product/product-grid';
import { ProductsSearched } from '@/components/search/products-searched';
import { SearchForm } from '@/components/search/search-form';
import { searchProducts, searchQuerySchema } from '@/lib/shop/domain/search';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Searches a shopper can start from the empty page: a skin type, an ingredient, a step. */
const SUGGESTIONS = ['dry skin', 'sensitive skin', 'niacinamide', 'ceramides', 'vitamin C', 'SPF'];

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const query = searchQuerySchema.parse((await searchParams).q);
  return { title: query ? `Search: ${query}` : 'Search', robots: { index: false } };
}

export default async function SearchPage({ searchParams }: Props) {
  const query = searchQuerySchema.parse((await searchParams).q);
  const results = searchProducts(query);

  return (
    <div className="mx-auto max-w-6xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">Search</h1>
      {/* Keyed by the query: Back to an earlier search shows that search's words, not the last ones typed. */}
      <SearchForm
        key={query}
        id="search-page-field"
        defaultValue={query}
        label="Search products"
        className="mt-6 max-w-xl"
      />

      {query === '' ? (
        <section aria-labelledby="suggestions-heading" className="mt-10">
          <h2 id="suggestions-heading" className="text-lg font-semibold">
            Search by name, step, skin type or ingredient
          </h2>
          <Suggestions />
        </section>
      ) : (
        <section aria-labelledby="results-heading" className="mt-10">
          <ProductsSearched query={query} resultCount={results.length} />
          <h2 id="results-heading" className="mb-6 text-lg font-semibold" aria-live="polite">
            {results.length === 0
              ? `No products match “${query}”`
              : `${results.length} ${results.length === 1 ? 'product matches' : 'products match'} “${query}”`}
          </h2>
          <ProductGrid
            products={results}
            label="Search results"
            empty={
              <div className="rounded-3xl bg-white px-6 py-12 text-center">
                <p className="text-stone-600">Check the spelling, or try one of these:</p>
                <Suggestions centered />
                <DiscoverLinks className="mt-8" />
              </div>
            }
          />
        </section>
      )}
    </div>
  );
}

function Suggestions({ centered = false }: { centered?: boolean }) {
  return (
    <ul className={`mt-4 flex flex-wrap gap-2 ${centered ? 'justify-center' : ''}`}>
      {SUGGESTIONS.map((s) => (
        <li key={s}>
          <Link
            href={`/search?q=${encodeURIComponent(s)}`}
            className="inline-flex rounded-full border border-stone-300 bg-white px-4 py-2 text-sm hover:border-stone-900"
          >
            {s}
          </Link>
        </li>
      ))}
    </ul>
  );
}
