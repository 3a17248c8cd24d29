import { listSegments, NO_QUERY, now, opsRoute, parseQuery } from '@/lib/cdp';
import { segmentsResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

export const GET = opsRoute(segmentsResponse, async ({ request, db }) => {
  parseQuery(request, NO_QUERY);
  return { segments: await listSegments(db, await now(db)) };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
