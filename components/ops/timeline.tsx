import Link from 'next/link';
import type { TimelineEvent } from '@/lib/cdp/ops/contract';
import { EmptyState } from './empty-state';
import { EventBadges } from './event-badges';
import { JsonDetails } from './json-details';
import { TimeStamp } from './time-stamp';

/**
 * "Device 1", "Device 2"… in order of first appearance, so a reader can follow each browser through the timeline.
 * Give the ids of the whole timeline (not one page's) so a device keeps its number on every page.
 */
export function deviceLabels(anonymousIds: Iterable<string | null>): Map<string, string> {
  const labels = new Map<string, string>();
  for (const id of anonymousIds) if (id && !labels.has(id)) labels.set(id, `Device ${labels.size + 1}`);
  return labels;
}

const eventTitle = (e: TimelineEvent) =>
  e.name ?? (e.type === 'identify' ? 'Identify' : e.type === 'alias' ? `Alias of ${e.user_id}` : e.type);

export function Timeline({
  events,
  emptyText,
  devices = deviceLabels(events.map((e) => e.anonymous_id)),
}: {
  events: TimelineEvent[];
  emptyText: string;
  devices?: Map<string, string>;
}) {
  if (!events.length) return <EmptyState title="No events yet">{emptyText}</EmptyState>;
  return (
    <ol
      className="divide-y divide-stone-200 overflow-hidden rounded-lg border border-stone-200 bg-white"
      aria-label="Events, oldest first"
    >
      {events.map((e) => (
        <li
          key={e.seq}
          className={`px-4 py-3 ${e.stitched ? 'border-l-4 border-l-amber-400' : 'border-l-4 border-l-transparent'}`}
          data-testid="timeline-event"
        >
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="text-xs text-stone-500">
              <TimeStamp iso={e.timestamp} title={`received ${e.received_at}`} />
            </span>
            <span className="font-medium text-stone-900">{eventTitle(e)}</span>
            <EventBadges event={e} />
            {e.anonymous_id ? (
              <Link
                href={`/ops/anonymous/${encodeURIComponent(e.anonymous_id)}`}
                className="ml-auto font-mono text-xs text-stone-600 hover:text-brand"
                title={e.anonymous_id}
              >
                {devices.get(e.anonymous_id)} · {e.anonymous_id.slice(0, 8)}
              </Link>
            ) : null}
          </div>
          {e.canonical_name && e.canonical_name !== e.name ? (
            <p className="mt-1 text-xs text-red-700">Drifted name: the plan calls this “{e.canonical_name}”.</p>
          ) : null}
          <JsonDetails label="Properties" value={e.properties} />
          <JsonDetails label="Traits" value={e.traits} />
          <JsonDetails label="Plan violations" value={e.violations.length ? e.violations : null} />
        </li>
      ))}
    </ol>
  );
}
