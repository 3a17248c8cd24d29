import { z } from 'zod';
import { listPeople, opsRoute, parseQuery } from '@/lib/cdp';
import { peopleResponse } from '@/lib/cdp/ops/contract';

const query = z.object({
  email: z.string().trim().optional(),
  q: z.string().trim().optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(500).default(50),
});

export const GET = opsRoute(peopleResponse, async ({ request, db }) => ({
  people: await listPeople(db, parseQuery(request, query)),
}));
