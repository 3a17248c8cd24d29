import Link from 'next/link';
import type { SegmentMember } from '@/lib/cdp/segments/membership';
import { EmptyState } from './empty-state';

export function SegmentMembers({ members }: { members: SegmentMember[] }) {
  if (!members.length) {
    return (
      <EmptyState title="Nobody is in this segment right now">
        Membership is computed at the pipeline&apos;s current time; anonymous activity counts once the shopper is identified.
      </EmptyState>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Members of the segment</caption>
        <thead className="bg-stone-50 text-xs uppercase tracking-wide text-stone-500">
          <tr>
            <th scope="col" className="px-4 py-2">Email</th>
            <th scope="col" className="px-4 py-2">Person</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-200">
          {members.map((m) => (
            <tr key={m.person_id}>
              <td className="px-4 py-2">{m.email ?? '—'}</td>
              <td className="px-4 py-2 font-mono text-xs">
                <Link href={`/ops/people/${encodeURIComponent(m.person_id)}`} className="underline underline-offset-2">
                  {m.person_id}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
