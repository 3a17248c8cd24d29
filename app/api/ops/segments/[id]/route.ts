import { now } from '@/lib/cdp/store/clock';
import { notFound, opsRoute } from '@/lib/cdp/ops/route';
import { builtInSegments } from '@/lib/cdp/engine/segments';
import { segmentMembers } from '@/lib/cdp/read/segment-membership';

export const GET = opsRoute<{ id: string }>(async ({ db, params }) => {
  const found = await segmentMembers(db, params.id, await now(db));
  return found ?? notFound(`No segment with id ${params.id}; known: ${builtInSegments.map((s) => s.id).join(', ')}`);
});
