import { z } from 'zod';
import { listOutbox, opsRoute, parseQuery } from '@/lib/cdp';
import { outboxResponse } from '@/lib/cdp/ops/contract';

const query = z.object({
  to: z.string().trim().optional(),
  journey: z.string().trim().optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(500).default(100),
});

export const GET = opsRoute(outboxResponse, async ({ request, db }) => ({
  messages: await listOutbox(db, parseQuery(request, query)),
}));
