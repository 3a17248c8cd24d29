import { z } from 'zod';
import { listOutbox, opsRoute, parseQuery } from '@/lib/cdp';
import { outboxResponse, pageQuery } from '@/lib/cdp/ops/contract';

const query = pageQuery(100, 500).extend({
  to: z.string().trim().optional(),
  journey: z.string().trim().optional(),
});

export const GET = opsRoute(outboxResponse, async ({ request, db }) => {
  const { items, next_cursor } = await listOutbox(db, parseQuery(request, query));
  return { messages: items, next_cursor };
});
