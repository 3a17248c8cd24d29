import { z } from 'zod';
import { listRejections, opsRoute, parseQuery } from '@/lib/cdp';
import { rejection, rejectionsResponse } from '@/lib/cdp/ops/contract';

const query = z.object({
  reason: rejection.shape.reason.optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(500).default(50),
});

export const GET = opsRoute(rejectionsResponse, async ({ request, db }) =>
  listRejections(db, parseQuery(request, query)),
);
