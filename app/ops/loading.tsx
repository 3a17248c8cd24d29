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
