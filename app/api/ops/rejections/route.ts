import { z } from 'zod';
import { listRejections, opsRoute, parseQuery } from '@/lib/cdp';
import { limitParam, rejection, rejectionsResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = z.object({
  reason: rejection.shape.reason.optional(),
  limit: limitParam(50, 500),
});

export const GET = opsRoute(rejectionsResponse, async ({ request, db }) =>
  listRejections(db, parseQuery(request, query)),
);

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
