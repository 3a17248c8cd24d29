import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/ops/page-header';
import { SegmentMembers } from '@/components/ops/segment-members';
import { now, openConsole, segmentMembers } from '@/lib/cdp';
import { decodeParam } from '@/lib/common/http';

export const metadata = { title: 'Segment · Ops console' };

export default async function OpsSegmentPage({ params }: { params: Promise<{ id: string }> }) {
  const db = await openConsole();
  const found = await segmentMembers(db, decodeParam((await params).id), await now(db));
  if (!found) notFound();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/ops/segments" className="text-stone-600 underline underline-offset-2">
          All segments
        </Link>
      </p>
      <PageHeader title={found.segment.name}>
        {found.segment.description} · {found.members.length} {found.members.length === 1 ? 'member' : 'members'}
      </PageHeader>
      <SegmentMembers members={found.members} />
    </>
  );
}
