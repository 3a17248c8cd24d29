import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ops/badge';
import { PageHeader } from '@/components/ops/page-header';
import { PageLinks } from '@/components/ops/page-links';
import { Timeline } from '@/components/ops/timeline';
import { getAnonymousActivity, openConsole, orFirstPage } from '@/lib/cdp';
import { decodeParam } from '@/lib/common/http';

export const metadata = { title: 'Anonymous visitor · Ops console' };

const PAGE_SIZE = 200;

export default async function OpsAnonymousPage({
  params,
  searchParams,
}: {
  params: Promise<{ anonymousId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const db = await openConsole();
  const anonymousId = decodeParam((await params).anonymousId);
  const { cursor: raw } = await searchParams;
  const cursor = typeof raw === 'string' ? raw : undefined;
  const { person_id, events, next_cursor } = await orFirstPage(
    (c) => getAnonymousActivity(db, anonymousId, { cursor: c, limit: PAGE_SIZE }),
    cursor,
  );
  // Nothing received under it and no person linked: unknown (or purged), a 404 like any unknown id.
  if (!person_id && events.length === 0 && !cursor) notFound();
  return (
    <>
      <PageHeader title="Anonymous visitor">
        <span className="font-mono">{anonymousId}</span> — one browser or device, identified by its{' '}
        <code>ajs_anonymous_id</code>.
      </PageHeader>
      <p className="mb-6 flex flex-wrap items-center gap-2 text-sm">
        {person_id ? (
          <>
            <Badge tone="green">identified</Badge> Linked to{' '}
            <Link
              href={`/ops/people/${encodeURIComponent(person_id)}`}
              className="font-mono text-brand hover:underline"
            >
              {person_id}
            </Link>
          </>
        ) : (
          <>
            <Badge tone="amber">not identified</Badge> Its events are purged 30 days after its last activity unless an
            identify links it to a person.
          </>
        )}
      </p>
      <Timeline events={events} emptyText="Nothing was received under this anonymous id (or it was purged)." />
      <PageLinks nextCursor={next_cursor} cursor={cursor} label={`Next ${PAGE_SIZE} events`} />
    </>
  );
}
