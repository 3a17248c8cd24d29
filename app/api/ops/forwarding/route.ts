import { z } from 'zod';
import { forwardingState, opsRoute, parseQuery } from '@/lib/cdp';
import { forwardingResponse, limitParam } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = z.object({
  limit: limitParam(100, 500),
});

export const GET = opsRoute(forwardingResponse, async ({ request, db }) =>
  forwardingState(db, parseQuery(request, query).limit),
);

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
