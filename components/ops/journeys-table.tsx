import type { JourneySummary } from '@/lib/cdp/ops/contract';
import { Badge } from './badge';
import { DataTable } from './data-table';

const COLUMNS = ['entered', 'held', 'waiting', 'sent', 'exited', 'failed'] as const;

export function JourneysTable({ journeys }: { journeys: JourneySummary[] }) {
  const columns = [
    { label: 'Journey' },
    { label: 'Mode' },
    ...COLUMNS.map((c) => ({ label: c, align: 'right' as const })),
    { label: 'Why runs ended' },
  ];
  return (
    <DataTable caption="Runs per journey by state" columns={columns}>
      {journeys.map((j) => (
        <tr key={j.id} data-journey={j.id}>
          <th scope="row" className="px-4 py-2 font-medium text-stone-900">
            {j.name}
            <div className="font-mono text-xs font-normal text-stone-500">{j.id}</div>
          </th>
          <td className="px-4 py-2">
            <Badge tone={j.mode === 'live' ? 'green' : 'violet'}>{j.mode}</Badge>
          </td>
          {COLUMNS.map((c) => (
            <td key={c} className="px-3 py-2 text-right tabular-nums">
              {j[c]}
            </td>
          ))}
          <td className="px-4 py-2">
            <span className="flex flex-wrap gap-1">
              {Object.entries(j.reasons).map(([reason, n]) => (
                <Badge key={reason} tone={reason === 'converted' ? 'green' : 'amber'}>
                  {reason.replaceAll('_', ' ')}: {n}
                </Badge>
              ))}
            </span>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
