import type { ReactNode } from 'react';
import Link from 'next/link';
import type { JourneyRunView } from '@/lib/cdp/ops/contract';
import { Badge, type BadgeTone } from './badge';
import { DataTable } from './data-table';
import { EmptyState } from './empty-state';
import { TimeStamp } from './time-stamp';

const TONE: Record<string, BadgeTone> = {
  sent: 'green',
  failed: 'red',
  exited: 'amber',
  held: 'violet',
  waiting: 'blue',
  entered: 'neutral',
};

/** `empty`: what to say when there are none (default: how to make the first run). */
export function RunsTable({ runs, empty }: { runs: JourneyRunView[]; empty?: ReactNode }) {
  if (!runs.length) {
    return (
      empty ?? (
        <EmptyState title="No journey runs yet">
          Add something to the cart in the shop, then advance the clock or wait for the next minute.
        </EmptyState>
      )
    );
  }
  return (
    <DataTable
      caption="Recent journey runs, latest change first"
      columns={[
        { label: 'Journey' },
        { label: 'Profile' },
        { label: 'State' },
        { label: 'Entered' },
        { label: 'Detail' },
      ]}
    >
      {runs.map((r) => (
        <tr key={r.id}>
          <td className="px-4 py-2 font-mono text-xs">{r.journey_id}</td>
          <td className="px-4 py-2 font-mono text-xs">
            <Link
              href={
                r.profile === 'person'
                  ? `/ops/people/${encodeURIComponent(r.person_id)}`
                  : `/ops/anonymous/${encodeURIComponent(r.person_id)}`
              }
              className="underline underline-offset-2"
            >
              {r.person_id}
            </Link>
          </td>
          <td className="px-4 py-2">
            <span className="flex flex-wrap gap-1">
              <Badge tone={TONE[r.status] ?? 'neutral'}>{r.status}</Badge>
              {r.reason ? <Badge tone="amber">{r.reason.replaceAll('_', ' ')}</Badge> : null}
              {r.shadow ? <Badge tone="violet">shadow</Badge> : null}
            </span>
          </td>
          <td className="px-4 py-2">
            <TimeStamp iso={r.entered_at} />
          </td>
          <td className="px-4 py-2 text-stone-600">{r.detail ?? (r.due_at ? `due ${r.due_at}` : '')}</td>
        </tr>
      ))}
    </DataTable>
  );
}
