import type { ReactNode } from 'react';
import Link from 'next/link';
import type { OutboxMessage } from '@/lib/cdp/ops/contract';
import { DataTable } from './data-table';
import { EmptyState } from './empty-state';
import { TimeStamp } from './time-stamp';

/** `empty`: what to say when there are none (default: by whether a filter is set). */
export function OutboxTable({
  messages,
  filtered,
  empty,
}: {
  messages: OutboxMessage[];
  filtered: boolean;
  empty?: ReactNode;
}) {
  if (!messages.length) {
    if (empty) return empty;
    return filtered ? (
      <EmptyState title="No message matches">Clear the filter to see every message.</EmptyState>
    ) : (
      <EmptyState title="The outbox is empty">
        Live journeys put their emails here when a run reaches its send time.
      </EmptyState>
    );
  }
  return (
    <DataTable
      caption="Messages sent by live journeys, newest first"
      columns={[{ label: 'Subject' }, { label: 'To' }, { label: 'Journey' }, { label: 'Sent' }]}
    >
      {messages.map((m) => (
        <tr key={m.id}>
          <td className="px-4 py-2">
            <Link
              href={`/ops/outbox/${encodeURIComponent(m.id)}`}
              className="font-medium text-stone-900 underline underline-offset-2"
            >
              {m.subject}
            </Link>
          </td>
          <td className="px-4 py-2">{m.to}</td>
          <td className="px-4 py-2 font-mono text-xs">{m.journey_id}</td>
          <td className="px-4 py-2">
            <TimeStamp iso={m.created_at} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
