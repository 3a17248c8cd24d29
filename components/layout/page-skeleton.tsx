/** Skeleton shown while a catalogue page renders. */
export function PageSkeleton() {
  return (
    <div role="status" className="mx-auto max-w-6xl animate-pulse px-4 py-10 sm:px-6">
      <div className="h-9 w-64 rounded-full bg-stone-200" />
      <div className="mt-3 h-4 w-96 max-w-full rounded-full bg-stone-200" />
      <div className="mt-10 grid grid-cols-2 gap-5 md:grid-cols-3 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="aspect-square rounded-2xl bg-stone-200" />
        ))}
      </div>
      <span className="sr-only">Loading…</span>
    </div>
  );
}
