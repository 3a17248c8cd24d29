import type { ShopEventsState } from '@/lib/cdp/ops/contract';
import { DataTable } from './data-table';
import { EmptyState } from './empty-state';
import { NextAttempt } from './forward-queue-table';
import { Section } from './section';
import { TimeStamp } from './time-stamp';

/**
 * The shop's own outbox (GET /api/ops/shop-events): Order Completed is written with the order and sent to the
 * pipeline until it acknowledges it, so an outage of the pipeline shows here as waiting rows, not lost events.
 */
export function ShopEventsSection({ state }: { state: ShopEventsState }) {
  const { counts } = state;
  return (
    <Section id="shop-events" title="The shop's server events to the pipeline">
      <p className="mb-3 text-sm text-stone-600">
        Order Completed, written with each order: {counts.pending} waiting, {counts.dead} dead after a day of retries,{' '}
        {counts.sent} delivered.
        {state.oldest_pending_at ? (
          <>
            {' '}
            Oldest waiting since <TimeStamp iso={state.oldest_pending_at} />.
          </>
        ) : null}
      </p>
      {state.failing.length ? (
        <DataTable
          caption="Events the pipeline has not acknowledged yet, newest first"
          columns={[
            { label: 'Call' },
            { label: 'Written' },
            { label: 'Attempts', align: 'right' },
            { label: 'Next attempt · last error' },
          ]}
        >
          {state.failing.map((r) => (
            <tr key={r.id}>
              <td className="px-4 py-2 font-mono text-xs">
                {r.status === 'dead' ? 'dead · ' : ''}
                {r.message_id}
              </td>
              <td className="px-4 py-2">
                <TimeStamp iso={r.created_at} />
              </td>
              <td className="px-4 py-2 text-right tabular-nums">{r.attempts}</td>
              <td className="max-w-md px-4 py-2 text-xs break-words text-stone-700">
                <NextAttempt at={r.next_attempt_at} error={r.last_error} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <EmptyState title="Nothing failing">Every event the shop recorded was delivered or is on its way.</EmptyState>
      )}
    </Section>
  );
}
