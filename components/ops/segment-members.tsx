import Link from 'next/link';
import type { SegmentMember } from '@/lib/cdp/ops/contract';
import { DataTable } from './data-table';
import { EmptyState } from './empty-state';

export function SegmentMembers({ members }: { members: SegmentMember[] }) {
  if (!members.length) {
    return (
      <EmptyState title="Nobody is in this segment right now">
        Membership is computed at the pipeline&apos;s current time; anonymous activity counts once the shopper is
        identified.
      </EmptyState>
    );
  }
  return (
    <DataTable caption="Members of the segment" columns={[{ label: 'Email' }, { label: 'Person' }]}>
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
    </DataTable>
  );
}
