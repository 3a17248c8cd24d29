import { Suspense } from 'react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LoadingSkeleton } from '@/components/ops/loading-skeleton';
import { PageHeader } from '@/components/ops/page-header';
import { PageLinks } from '@/components/ops/page-links';
import { SegmentMembers } from '@/components/ops/segment-members';
import { findSegment, now, openConsole, orFirstPage, segmentMemberCount, segmentMembers } from '@/lib/cdp';
import { decodeParam } from '@/lib/common/http';

export const metadata = { title: 'Segment · Ops console' };

const PAGE_SIZE = 100;

type ConsoleDb = Awaited<ReturnType<typeof openConsole>>;

// Segments are defined in code: an unknown id is a real 404 before anything is sent; the members (evaluated in the
// database) stream in behind a skeleton (no loading.tsx here: see app/ops/(console)/loading.tsx).
export default async function OpsSegmentPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const db = await openConsole();
  const id = decodeParam((await params).id);
  const { cursor: raw } = await searchParams;
  const cursor = typeof raw === 'string' ? raw : undefined;
  const segment = findSegment(id);
  if (!segment) notFound();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/ops/segments" className="text-stone-600 underline underline-offset-2">
          All segments
        </Link>
      </p>
      <Suspense key={cursor} fallback={<LoadingSkeleton />}>
        <Members db={db} id={id} cursor={cursor} />
      </Suspense>
    </>
  );
}

async function Members({ db, id, cursor }: { db: ConsoleDb; id: string; cursor?: string }) {
  const at = await now(db);
  const found = await orFirstPage((c) => segmentMembers(db, id, at, { cursor: c, limit: PAGE_SIZE }), cursor);
  if (!found) return null; // checked by the page: segments are defined in code
  const count = (await segmentMemberCount(db, id, at)) ?? 0;
  return (
    <>
      <PageHeader title={found.segment.name}>
        {found.segment.description} · {count} {count === 1 ? 'member' : 'members'}
      </PageHeader>
      <SegmentMembers members={found.members} />
      <PageLinks nextCursor={found.next_cursor} cursor={cursor} label={`Next ${PAGE_SIZE} members`} />
    </>
  );
}
