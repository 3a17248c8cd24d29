import Link from 'next/link';
import type { PersonSummary } from '@/lib/cdp/ops/contract';
import { DataTable } from './data-table';
import { EmptyState } from './empty-state';
import { TimeStamp } from './time-stamp';

export function PeopleTable({ people, searched }: { people: PersonSummary[]; searched: boolean }) {
  if (!people.length) {
    return searched ? (
      <EmptyState title="Nobody matches that search">Try part of the email, or clear the search.</EmptyState>
    ) : (
      <EmptyState title="No people yet">
        Browse the shop and sign up, check out or leave your email: the person appears here with their stitched history.
      </EmptyState>
    );
  }
  return (
    <DataTable
      caption="People, most recently active first"
      columns={[
        { label: 'Person' },
        { label: 'Devices' },
        { label: 'Events', align: 'right' },
        { label: 'First seen' },
        { label: 'Last seen' },
      ]}
    >
      {people.map((p) => (
        <tr key={p.id} className="hover:bg-stone-50">
          <td className="px-4 py-2">
            <Link
              href={`/ops/people/${encodeURIComponent(p.id)}`}
              className="font-medium text-stone-900 hover:text-brand"
            >
              {p.email ?? 'no email'}
            </Link>
            <div className="font-mono text-xs text-stone-500">{p.id}</div>
          </td>
          <td className="px-4 py-2">{p.anonymous_ids.length}</td>
          <td className="px-4 py-2 text-right tabular-nums">{p.event_count}</td>
          <td className="px-4 py-2 text-xs text-stone-600">
            <TimeStamp iso={p.first_seen_at} />
          </td>
          <td className="px-4 py-2 text-xs text-stone-600">
            <TimeStamp iso={p.last_seen_at} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
