import type { JourneySummary } from '@/lib/cdp/journeys/report';
import { Badge } from './badge';

const COLUMNS = ['entered', 'held', 'waiting', 'sent', 'exited', 'failed'] as const;

export function JourneysTable({ journeys }: { journeys: JourneySummary[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Runs per journey by state</caption>
        <thead className="bg-stone-50 text-xs uppercase tracking-wide text-stone-500">
          <tr>
            <th scope="col" className="px-4 py-2">Journey</th>
            <th scope="col" className="px-4 py-2">Mode</th>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className="px-3 py-2 text-right">
                {c}
              </th>
            ))}
            <th scope="col" className="px-4 py-2">Why runs ended</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-200">
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
        </tbody>
      </table>
    </div>
  );
}
