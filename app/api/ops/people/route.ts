import { z } from 'zod';
import { listPeople, opsRoute, parseQuery } from '@/lib/cdp';
import { pageQuery, peopleResponse } from '@/lib/cdp/ops/contract';

const query = pageQuery(50, 500).extend({
  email: z.string().trim().optional(),
  q: z.string().trim().optional(),
});

export const GET = opsRoute(peopleResponse, async ({ request, db }) => {
  const { items, next_cursor } = await listPeople(db, parseQuery(request, query));
  return { people: items, next_cursor };
});
