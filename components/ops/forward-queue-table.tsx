import type { ForwardPause } from '@/lib/cdp';
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

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Forwarding held for the whole process (lib/cdp/forward/pause.ts): Customer.io refused the key or the address, or
 * sent a Retry-After. Calls wait and none is failed, so the dead-letter list does not say it: this does.
 */
export function ForwardPauseNotice({ pause, waiting }: { pause: ForwardPause; waiting: number }) {
  const calls = `${waiting} ${waiting === 1 ? 'call' : 'calls'} waiting`;
  if (pause.kind === 'retry-after')
    return (
      <p role="status" className="mb-8 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
        <strong>Forwarding paused:</strong> Customer.io asked for no request before <TimeStamp iso={iso(pause.until)} />{' '}
        (Retry-After); {calls}.
      </p>
    );
  return (
    <div role="alert" className="mb-8 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      <p>
        <strong>
          Forwarding paused: {pause.headline} ({pause.status})
        </strong>{' '}
        at <TimeStamp iso={iso(pause.since)} />
        {pause.refusals > 1 ? (
          <>
            , refused {pause.refusals} times, last at <TimeStamp iso={iso(pause.at)} />
          </>
        ) : null}
        ; next try at <TimeStamp iso={iso(pause.until)} />; {calls}.
      </p>
      <p className="mt-1 font-mono text-xs break-words">{pause.error}</p>
      <p className="mt-1">
        No call is dead-lettered for it. Fix the setting and restart to send them at once, or let the next try find it
        fixed: the waiting calls then go out in order, without Replay. This instance&apos;s state: another instance
        pauses on its own first refusal.
      </p>
    </div>
  );
}
