import { PageHeader } from '@/components/ops/page-header';
import { SegmentsList } from '@/components/ops/segments-list';
import { now } from '@/lib/cdp';
import { requireOpsSession } from '@/lib/cdp/ops/auth';
import { listSegments } from '@/lib/cdp/read/segment-membership';
import { getDb } from '@/lib/db';

export const metadata = { title: 'Segments · Ops console' };

export default async function OpsSegmentsPage() {
  await requireOpsSession();
  const db = await getDb();
  const segments = await listSegments(db, await now(db));
  return (
    <>
      <PageHeader title="Segments">
        Built-in segments at the pipeline&apos;s current time. Stitched events count from the identify that attached
        them.
      </PageHeader>
      <SegmentsList segments={segments} />
    </>
  );
}
