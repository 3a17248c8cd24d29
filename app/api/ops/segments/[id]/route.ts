import { builtInSegments, notFound, now, opsRoute, segmentMembers, type OpsContext } from '@/lib/cdp';
import { segmentResponse } from '@/lib/cdp/ops/contract';

export const GET = opsRoute(segmentResponse, async ({ db, params }: OpsContext<{ id: string }>) => {
  const found = await segmentMembers(db, params.id, await now(db));
  return found ?? notFound(`No segment with id ${params.id}; known: ${builtInSegments.map((s) => s.id).join(', ')}`);
});
