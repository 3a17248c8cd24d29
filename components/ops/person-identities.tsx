import Link from 'next/link';
import type { Person } from '@/lib/cdp/ops/contract';
import { EmptyState } from './empty-state';
import { TimeStamp } from './time-stamp';

/** The person's anonymous ids (devices) with when each was linked, and the people merged into them. */
export function PersonIdentities({ person, devices }: { person: Person; devices: Map<string, string> }) {
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <section aria-labelledby="identities-heading">
        <h2 id="identities-heading" className="mb-2 text-sm font-semibold tracking-wide text-stone-500 uppercase">
          Identities
        </h2>
        {person.identities.length ? (
          <ul className="space-y-1 text-sm">
            {person.identities.map((i) => (
              <li key={i.anonymous_id} className="flex flex-wrap items-baseline gap-2">
                <Link
                  href={`/ops/anonymous/${encodeURIComponent(i.anonymous_id)}`}
                  className="font-mono text-xs text-stone-800 hover:text-brand"
                >
                  {devices.get(i.anonymous_id) ?? 'Device'} · {i.anonymous_id}
                </Link>
                <span className="text-xs text-stone-500">
                  linked <TimeStamp iso={i.linked_at} />
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="No anonymous ids">Only server-side calls with a userId so far.</EmptyState>
        )}
      </section>
      <section aria-labelledby="merges-heading">
        <h2 id="merges-heading" className="mb-2 text-sm font-semibold tracking-wide text-stone-500 uppercase">
          Merges
        </h2>
        {person.merges.length ? (
          <ul className="space-y-1 text-sm">
            {person.merges.map((m) => (
              <li key={`${m.secondary_id}:${m.merged_at}`}>
                <span className="font-mono text-xs">{m.secondary_id}</span> merged in <TimeStamp iso={m.merged_at} />{' '}
                <span className="text-xs text-stone-500">(same {m.reason === 'email' ? 'email' : 'id, by alias'})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-stone-500">No other profile was merged into this one.</p>
        )}
      </section>
    </div>
  );
}
