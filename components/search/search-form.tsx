type Props = {
  /** Unique per page: the header's field and the search page's field can share a page. */
  id: string;
  defaultValue?: string;
  /** Names the search landmark; two on one page need different names. */
  label?: string;
  className?: string;
};

/**
 * GET /search?q=…: a plain HTML form, so it works before the page is interactive and costs no JavaScript (next/form
 * would add ~1.3 KB gzip to every page's first load for a client-side navigation). Results are rendered on the
 * server (app/(shop)/search/page.tsx).
 */
export function SearchForm({ id, defaultValue = '', label = 'Search the shop', className = '' }: Props) {
  return (
    <form action="/search" role="search" aria-label={label} className={`flex items-center gap-2 ${className}`}>
      <label htmlFor={id} className="sr-only">
        Search products
      </label>
      <input
        id={id}
        name="q"
        type="search"
        defaultValue={defaultValue}
        placeholder="Search products"
        autoComplete="off"
        enterKeyHint="search"
        maxLength={100}
        className="field min-w-0 flex-1 rounded-full py-1.5 text-sm placeholder:text-stone-500"
      />
      <button
        type="submit"
        className="inline-flex h-9 w-9 shrink-0 items-center justify-center rounded-full text-stone-700 hover:bg-stone-100"
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <circle cx="11" cy="11" r="6.5" />
          <path d="m16 16 4.5 4.5" strokeLinecap="round" />
        </svg>
        <span className="sr-only">Search</span>
      </button>
    </form>
  );
}
