import type { Rejection } from '@/lib/cdp/ops/contract';
import { Badge } from './badge';
import { DataTable } from './data-table';
import { EmptyState } from './empty-state';
import { TimeStamp } from './time-stamp';

const REASON_LABELS: Record<Rejection['reason'], string> = {
  write_key: 'write key',
  misshapen: 'cannot be stored',
  too_large: 'over 32 KB',
  invalid: 'invalid call',
  untrusted: 'needs the server key',
  suppressed: 'suppressed id',
};

/** Calls the ingest refused: each with where it was posted, why, and what it was (cut to 4 KB). */
export function RejectionsTable({ rows }: { rows: Rejection[] }) {
  if (!rows.length)
    return (
      <EmptyState title="No call refused">
        Calls with a wrong key, an invalid envelope or a suppressed id would be listed here with the reason.
      </EmptyState>
    );
  return (
    <DataTable
      caption="Refused calls, newest first"
      columns={[{ label: 'Received' }, { label: 'Endpoint' }, { label: 'Reason' }, { label: 'Problems and call' }]}
    >
      {rows.map((r) => (
        <tr key={r.id} className="align-top">
          <td className="px-4 py-2">
            <TimeStamp iso={r.received_at} />
          </td>
          <td className="px-4 py-2 font-mono text-xs">/{r.endpoint}</td>
          <td className="px-4 py-2">
            <span className="flex flex-wrap gap-1">
              <Badge tone="red">{REASON_LABELS[r.reason]}</Badge>
              {r.strict ? <Badge title="Sent with X-Strict-Mode: 1 and answered with the error">strict</Badge> : null}
            </span>
          </td>
          <td className="px-4 py-2">
            <ul className="list-inside list-disc text-stone-800">
              {r.problems.map((p, i) => (
                <li key={i}>
                  <code className="text-xs">{p.path}</code> {p.message}
                </li>
              ))}
            </ul>
            <details className="mt-1">
              <summary className="cursor-pointer text-xs font-medium text-stone-600 hover:text-stone-900">
                The call{r.message_id ? ` (${r.message_id})` : ''}
              </summary>
              <pre className="mt-1 max-h-60 overflow-auto rounded bg-stone-900 p-3 text-xs break-all whitespace-pre-wrap text-stone-100">
                {r.call}
              </pre>
            </details>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
