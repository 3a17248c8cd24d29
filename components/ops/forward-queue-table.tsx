import type { QueueRow } from '@/lib/cdp/ops/contract';
import { DataTable } from './data-table';
import { ReplayButton } from './replay-button';
import { TimeStamp } from './time-stamp';

/**
 * Dead-lettered or retrying rows of a retry queue (the forward queue, the shop's outbox: the same row shape), with
 * a replay button on each dead letter when `replay` names the queue's replay route.
 */
export function ForwardQueueTable({
  rows,
  caption,
  replay,
}: {
  rows: QueueRow[];
  caption: string;
  /** The queue's replay route (POST), or false: no replay column. */
  replay: string | false;
}) {
  return (
    <DataTable
      caption={caption}
      columns={[
        { label: 'Call' },
        { label: 'Person' },
        { label: 'Queued' },
        { label: 'Attempts', align: 'right' },
        { label: 'Next attempt · last error' },
        ...(replay ? [{ label: 'Replay' }] : []),
      ]}
    >
      {rows.map((r) => (
        <tr key={r.id}>
          <td className="px-4 py-2">
            <span className="font-medium text-stone-900">{r.event ?? r.type ?? 'unknown'}</span>
            <div className="font-mono text-xs text-stone-500">{r.message_id}</div>
          </td>
          <td className="px-4 py-2 font-mono text-xs">{r.person_key ?? '—'}</td>
          <td className="px-4 py-2">
            <TimeStamp iso={r.created_at} />
          </td>
          <td className="px-4 py-2 text-right tabular-nums">{r.attempts}</td>
          <td className="max-w-md px-4 py-2 text-xs break-words text-stone-700">
            {r.in_flight_since && r.in_flight_until ? (
              <div>
                In flight since <TimeStamp iso={r.in_flight_since} /> (settled by <TimeStamp iso={r.in_flight_until} />)
              </div>
            ) : null}
            {/* A row in flight has no next attempt (QueueRow). */}
            <NextAttempt at={r.next_attempt_at} error={r.last_error} />
          </td>
          {replay ? (
            <td className="px-4 py-2">
              {r.status === 'dead' ? (
                <ReplayButton
                  endpoint={replay}
                  ids={[r.id]}
                  label="Replay"
                  name={`Replay ${r.event ?? r.type ?? 'call'} ${r.message_id}`}
                />
              ) : null}
            </td>
          ) : null}
        </tr>
      ))}
    </DataTable>
  );
}

/** When a failed row is tried again (none for a dead letter), and why its last attempt failed. */
export function NextAttempt({ at, error }: { at: string | null; error: string | null }) {
  return (
    <>
      {at ? (
        <div>
          <TimeStamp iso={at} />
        </div>
      ) : null}
      {error ?? '—'}
    </>
  );
}
