import { z } from 'zod';
import { opsRoute, parseQuery } from '@/lib/cdp';
import { limitParam, shopEventsResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';
import { shopEventOutboxState } from '@/lib/shop/server/event-outbox';

const query = z.object({
  limit: limitParam(100, 500),
});

export const GET = opsRoute(shopEventsResponse, async ({ request, db }) =>
  shopEventOutboxState(db, { limit: parseQuery(request, query).limit }),
);

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
