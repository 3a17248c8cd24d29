import Link from 'next/link';
import type { SegmentSummary } from '@/lib/cdp/ops/contract';

/** One card per built-in segment: name, rule in words, member count. */
export function SegmentsList({ segments }: { segments: SegmentSummary[] }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-3">
      {segments.map((s) => (
        <li key={s.id} className="rounded-lg border border-stone-200 bg-white p-4">
          <h2 className="font-semibold text-stone-900">
            <Link href={`/ops/segments/${s.id}`} className="underline-offset-2 hover:underline">
              {s.name}
            </Link>
          </h2>
          <p className="mt-1 text-sm text-stone-600">{s.description}</p>
          <p
            className="mt-3 text-3xl font-semibold text-stone-900 tabular-nums"
            aria-label={`${s.member_count} members`}
          >
            {s.member_count}
            <span className="ml-1 text-sm font-normal text-stone-500">
              {s.member_count === 1 ? 'member' : 'members'}
            </span>
          </p>
        </li>
      ))}
    </ul>
  );
}
