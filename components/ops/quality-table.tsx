import type { QualityRow } from '@/lib/cdp/ops/contract';
import { Badge } from './badge';
import { DataTable } from './data-table';
import { EmptyState } from './empty-state';

// Every kind the contract allows has a label: the type check fails when a new kind is added without one.
const KIND_LABELS: Record<keyof QualityRow['violations'], string> = {
  unknown_event: 'unknown event',
  drifted_name: 'drifted name',
  missing_property: 'missing property',
  invalid_property: 'invalid property',
  missing_schema_version: 'missing schema_version',
  unverified_identity: 'unsigned identity call',
  identity_conflict: 'refused identify (email of another person)',
  unverified_user_id: 'userId not verified (kept anonymous)',
};

export function QualityTable({ rows }: { rows: QualityRow[] }) {
  if (!rows.length)
    return (
      <EmptyState title="No events received yet">
        Browse the shop; every event is checked against the tracking plan as it arrives.
      </EmptyState>
    );
  return (
    <DataTable
      caption="Events by name, checked against the tracking plan"
      columns={[
        { label: 'Event' },
        { label: 'Received', align: 'right' },
        { label: 'Valid', align: 'right' },
        { label: 'Violations' },
      ]}
    >
      {rows.map((r) => {
        const drifted = r.canonical_name !== null && r.canonical_name !== r.name;
        return (
          <tr key={`${r.type}:${r.name}`}>
            <th scope="row" className="px-4 py-2 font-medium text-stone-900">
              {r.name || '(no name)'}
              {drifted ? <div className="text-xs font-normal text-red-700">should be “{r.canonical_name}”</div> : null}
              {r.type === 'track' && r.canonical_name === null ? (
                <div className="text-xs font-normal text-red-700">not in the tracking plan</div>
              ) : null}
            </th>
            <td className="px-4 py-2 text-right tabular-nums">{r.count}</td>
            <td className="px-4 py-2 text-right tabular-nums">{r.valid}</td>
            <td className="px-4 py-2">
              <span className="flex flex-wrap gap-1">
                {Object.entries(r.violations).map(([kind, n]) => (
                  <Badge key={kind} tone="red">
                    {KIND_LABELS[kind as keyof typeof KIND_LABELS] ?? kind}: {n}
                  </Badge>
                ))}
                {r.valid === r.count ? <Badge tone="green">all valid</Badge> : null}
              </span>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
