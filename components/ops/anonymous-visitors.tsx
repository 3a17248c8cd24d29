import Link from 'next/link';
import type { AnonymousVisitor } from '@/lib/cdp';
import { Badge } from './badge';
import { EmptyState } from './empty-state';
import { TimeStamp } from './time-stamp';

export function AnonymousVisitors({ visitors }: { visitors: AnonymousVisitor[] }) {
  if (!visitors.length)
    return (
      <EmptyState title="No anonymous activity">Open the shop in a private window and browse a little.</EmptyState>
    );
  return (
    <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white text-sm">
      {visitors.map((v) => (
        <li key={v.anonymous_id} className="flex flex-wrap items-center gap-3 px-4 py-2">
          <Link
            href={`/ops/anonymous/${encodeURIComponent(v.anonymous_id)}`}
            className="font-mono text-xs text-stone-800 hover:text-brand"
          >
            {v.anonymous_id}
          </Link>
          <span className="text-stone-600">
            {v.event_count} anonymous {v.event_count === 1 ? 'event' : 'events'}
          </span>
          {v.person_id ? (
            <Badge tone="green">linked to {v.person_id}</Badge>
          ) : (
            <Badge tone="amber">not identified</Badge>
          )}
          <span className="ml-auto text-xs text-stone-500">
            last <TimeStamp iso={v.last_seen_at} />
          </span>
        </li>
      ))}
    </ul>
  );
}
