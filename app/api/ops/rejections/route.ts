import { listRejections, opsRoute, parseQuery } from '@/lib/cdp';
import { pageQuery, rejection, rejectionsResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = pageQuery(50, 500).extend({ reason: rejection.shape.reason.optional() });

export const GET = opsRoute(rejectionsResponse, async ({ request, db }) =>
  listRejections(db, parseQuery(request, query)),
);

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
