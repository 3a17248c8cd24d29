import type { FunnelStep } from '@/lib/cdp';

/** Horizontal bars, one per step, split into the anonymous and the known share (CSS widths, no chart library). */
export function FunnelChart({ steps }: { steps: FunnelStep[] }) {
  const max = Math.max(1, ...steps.map((s) => s.profiles));
  const pct = (n: number) => `${(n / max) * 100}%`;
  return (
    <figure className="rounded-lg border border-stone-200 bg-white p-4">
      <ol className="space-y-4">
        {steps.map((s) => (
          <li key={s.name} data-step={s.name}>
            <div className="mb-1 flex justify-between text-sm">
              <span className="font-medium text-stone-900">{s.name}</span>
              <span className="text-stone-600 tabular-nums">
                {s.profiles} {s.profiles === 1 ? 'profile' : 'profiles'} ·{' '}
                <span className="text-amber-700">{s.anonymous} anonymous</span> ·{' '}
                <span className="text-teal-700">{s.known} known</span>
              </span>
            </div>
            <div className="flex h-6 w-full overflow-hidden rounded bg-stone-100" aria-hidden>
              <div className="bg-amber-500" style={{ width: pct(s.anonymous) }} />
              <div className="bg-teal-600" style={{ width: pct(s.known) }} />
            </div>
          </li>
        ))}
      </ol>
      <figcaption className="mt-4 flex gap-4 text-sm text-stone-700">
        <span className="inline-flex items-center gap-2">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-amber-500" /> happened anonymously (stitched
          later, or never)
        </span>
        <span className="inline-flex items-center gap-2">
          <span aria-hidden className="inline-block h-3 w-3 rounded-sm bg-teal-600" /> happened signed in / identified
        </span>
      </figcaption>
    </figure>
  );
}
