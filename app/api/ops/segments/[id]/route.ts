import { now } from '@/lib/cdp/clock';
import { notFound, opsRoute } from '@/lib/cdp/ops-api';
import { builtInSegments } from '@/lib/cdp/segments';
import { segmentMembers } from '@/lib/cdp/segments/membership';

export const GET = opsRoute<{ id: string }>(async ({ db, params }) => {
  const found = await segmentMembers(db, params.id, await now(db));
  return found ?? notFound(`No segment with id ${params.id}; known: ${builtInSegments.map((s) => s.id).join(', ')}`);
});
