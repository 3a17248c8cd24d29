/**
 * What the console shows while a page's data loads: the lists' loading.tsx, and the pages by id around what they
 * load after finding the id (they cannot have a loading.tsx: see app/ops/(console)/loading.tsx). `header` false:
 * the page has shown its title already.
 */
export function LoadingSkeleton({ header = true }: { header?: boolean }) {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-3">
      <span className="sr-only">Loading…</span>
      {header ? (
        <>
          <div className="h-7 w-48 rounded bg-stone-200" />
          <div className="h-4 w-80 rounded bg-stone-200" />
        </>
      ) : null}
      <div className="h-64 rounded-lg bg-stone-200" />
    </div>
  );
}
