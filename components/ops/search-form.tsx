/** A plain GET form: works without JavaScript and keeps the search in the URL. */
export function SearchForm({ defaultValue }: { defaultValue?: string }) {
  return (
    <form role="search" action="/ops" method="get" className="mb-4 flex max-w-md gap-2">
      <label htmlFor="people-search" className="sr-only">
        Search people by email or id
      </label>
      <input
        id="people-search"
        name="q"
        type="search"
        defaultValue={defaultValue}
        placeholder="Search by email or id"
        className="w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand"
      />
      <button
        type="submit"
        className="rounded-md bg-stone-900 px-4 py-2 text-sm font-medium text-white hover:bg-stone-700"
      >
        Search
      </button>
    </form>
  );
}
