import { z } from 'zod';
import { forwardingState, opsRoute, parseQuery } from '@/lib/cdp';
import { forwardingResponse } from '@/lib/cdp/ops/contract';

const query = z.object({
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(500).default(100),
});

export const GET = opsRoute(forwardingResponse, async ({ request, db }) =>
  forwardingState(db, parseQuery(request, query).limit),
);
