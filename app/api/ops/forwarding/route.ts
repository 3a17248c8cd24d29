import { z } from 'zod';
import { forwardingState, opsRoute, parseQuery } from '@/lib/cdp';
import { forwardingResponse, limitParam } from '@/lib/cdp/ops/contract';

const query = z.object({
  limit: limitParam(100, 500),
});

export const GET = opsRoute(forwardingResponse, async ({ request, db }) =>
  forwardingState(db, parseQuery(request, query).limit),
);
