import { Suspense } from 'react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ops/badge';
import { LoadingSkeleton } from '@/components/ops/loading-skeleton';
import { PageHeader } from '@/components/ops/page-header';
import { PageLinks } from '@/components/ops/page-links';
import { Timeline } from '@/components/ops/timeline';
import { getAnonymousActivity, openConsole, orFirstPage } from '@/lib/cdp';
import { storedIdParam } from '@/lib/common/http';

export const metadata = { title: 'Anonymous visitor · Ops console' };

const PAGE_SIZE = 200;

type ConsoleDb = Awaited<ReturnType<typeof openConsole>>;

// Known (events received under it, or a person linked) is checked before anything is sent, so an unknown id is a
// real 404; the timeline streams in behind a skeleton (no loading.tsx here: see app/ops/(console)/loading.tsx).
export default async function OpsAnonymousPage({
  params,
  searchParams,
}: {
  params: Promise<{ anonymousId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const db = await openConsole();
  const anonymousId = storedIdParam((await params).anonymousId);
  if (anonymousId === null) notFound();
  const { cursor: raw } = await searchParams;
  const cursor = typeof raw === 'string' ? raw : undefined;
  const known = await getAnonymousActivity(db, anonymousId, { limit: 1 });
  // Nothing received under it and no person linked: unknown (or purged), a 404 like any unknown id.
  if (!known.person_id && known.events.length === 0) notFound();
  return (
    <>
      <PageHeader title="Anonymous visitor">
        <span className="font-mono">{anonymousId}</span> — one browser or device, identified by its{' '}
        <code>ajs_anonymous_id</code>.
      </PageHeader>
      <p className="mb-6 flex flex-wrap items-center gap-2 text-sm">
        {known.person_id ? (
          <>
            <Badge tone="green">identified</Badge> Linked to{' '}
            <Link
              href={`/ops/people/${encodeURIComponent(known.person_id)}`}
              className="font-mono text-brand hover:underline"
            >
              {known.person_id}
            </Link>
          </>
        ) : (
          <>
            <Badge tone="amber">not identified</Badge> Each of its events is purged 30 days after it was received unless
            an identify links it to a person.
          </>
        )}
      </p>
      <Suspense key={cursor} fallback={<LoadingSkeleton header={false} />}>
        <AnonymousTimeline db={db} anonymousId={anonymousId} cursor={cursor} />
      </Suspense>
    </>
  );
}

async function AnonymousTimeline({ db, anonymousId, cursor }: { db: ConsoleDb; anonymousId: string; cursor?: string }) {
  const { events, next_cursor } = await orFirstPage(
    (c) => getAnonymousActivity(db, anonymousId, { cursor: c, limit: PAGE_SIZE }),
    cursor,
  );
  return (
    <>
      <Timeline events={events} emptyText="Nothing was received under this anonymous id (or it was purged)." />
      <PageLinks nextCursor={next_cursor} cursor={cursor} label={`Next ${PAGE_SIZE} events`} />
    </>
  );
}
