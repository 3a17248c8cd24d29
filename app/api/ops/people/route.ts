import { z } from 'zod';
import { listPeople, opsRoute, parseQuery } from '@/lib/cdp';
import { pageQuery, peopleResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = pageQuery(50, 500).extend({
  email: z.string().trim().optional(),
  q: z.string().trim().optional(),
});

export const GET = opsRoute(peopleResponse, async ({ request, db }) => {
  const { items, next_cursor } = await listPeople(db, parseQuery(request, query));
  return { people: items, next_cursor };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
