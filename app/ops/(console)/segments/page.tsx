import { PageHeader } from '@/components/ops/page-header';
import { SegmentsList } from '@/components/ops/segments-list';
import { listSegments, now, openConsole } from '@/lib/cdp';

export const metadata = { title: 'Segments · Ops console' };

export default async function OpsSegmentsPage() {
  const db = await openConsole();
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
