import { z } from 'zod';
import { listRejections, opsRoute, parseQuery } from '@/lib/cdp';
import { limitParam, rejection, rejectionsResponse } from '@/lib/cdp/ops/contract';

const query = z.object({
  reason: rejection.shape.reason.optional(),
  limit: limitParam(50, 500),
});

export const GET = opsRoute(rejectionsResponse, async ({ request, db }) =>
  listRejections(db, parseQuery(request, query)),
);
