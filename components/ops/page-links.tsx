import Link from 'next/link';

type Params = Record<string, string | undefined>;

/** `?a=1&cursor=…` from the page's other parameters plus this list's cursor; empty values are left out. */
function href(params: Params, name: string, cursor: string | null, anchor?: string): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v && k !== name) query.set(k, v);
  if (cursor) query.set(name, cursor);
  const qs = query.toString();
  return `?${qs}${anchor ? `#${anchor}` : ''}`;
}

/**
 * Links between pages of a cursor-paginated list: plain links rendered on the server, so they work without
 * JavaScript (the route's loading.tsx shows while the next page renders). `params` keeps the list's filters (and
 * the other lists' cursors); `cursorParam` names this list's cursor where one page has two lists.
 */
export function PageLinks({
  nextCursor,
  cursor,
  params = {},
  anchor,
  label = 'Next page',
  cursorParam = 'cursor',
  navLabel = 'Pages',
}: {
  nextCursor: string | null;
  cursor?: string;
  params?: Params;
  anchor?: string;
  label?: string;
  cursorParam?: string;
  /** The nav landmark's name: unique on a page with two lists. */
  navLabel?: string;
}) {
  if (!nextCursor && !cursor) return null;
  return (
    <nav aria-label={navLabel} className="mt-4 flex flex-wrap items-center gap-4 text-sm">
      {cursor ? (
        <Link href={href(params, cursorParam, null, anchor)} className="text-stone-600 underline underline-offset-2">
          Back to the start
        </Link>
      ) : null}
      {nextCursor ? (
        <Link
          href={href(params, cursorParam, nextCursor, anchor)}
          rel="next"
          className="rounded-md border border-stone-300 bg-white px-3 py-1.5 font-medium text-stone-800 hover:border-brand hover:text-brand focus-visible:outline-2 focus-visible:outline-brand"
        >
          {label}
        </Link>
      ) : (
        <span className="text-stone-500">End of the list.</span>
      )}
    </nav>
  );
}
