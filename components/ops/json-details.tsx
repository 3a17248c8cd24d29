/** Collapsible JSON (properties, traits, context): closed by default so long timelines stay scannable. */
export function JsonDetails({ label, value }: { label: string; value: unknown }) {
  const empty = value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0);
  if (empty) return null;
  return (
    <details className="group mt-2">
      <summary className="cursor-pointer text-xs font-medium text-stone-600 hover:text-stone-900">{label}</summary>
      <pre className="mt-1 max-h-80 overflow-auto rounded bg-stone-900 p-3 text-xs leading-relaxed text-stone-100">
        {JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}
