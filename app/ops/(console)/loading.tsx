// The lists' skeleton, in the (console) group only. The pages by id (people/[id], segments/[id], outbox/[id],
// anonymous/[anonymousId]) sit outside it on purpose: under a loading boundary the 200 is sent with the skeleton
// before the page can find that the id is unknown, so its notFound() could only show "Not found" with a 200.
export default function OpsLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-3">
      <span className="sr-only">Loading…</span>
      <div className="h-7 w-48 rounded bg-stone-200" />
      <div className="h-4 w-80 rounded bg-stone-200" />
      <div className="h-64 rounded-lg bg-stone-200" />
    </div>
  );
}
