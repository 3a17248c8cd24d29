import { builtInSegments, notFound, now, opsRoute, parseQuery, segmentMembers, type OpsContext } from '@/lib/cdp';
import { pageQuery, segmentResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = pageQuery(100, 1000);

/** The segment and a page of its members, in person id order (`next_cursor` → `?cursor=`). */
export const GET = opsRoute(segmentResponse, async ({ request, db, params }: OpsContext<{ id: string }>) => {
  const found = await segmentMembers(db, params.id, await now(db), parseQuery(request, query));
  return found ?? notFound(`No segment with id ${params.id}; known: ${builtInSegments.map((s) => s.id).join(', ')}`);
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
