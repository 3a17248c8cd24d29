import { z } from 'zod';
import { listOutbox, opsRoute, parseQuery } from '@/lib/cdp';
import { outboxResponse, pageQuery } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = pageQuery(100, 500).extend({
  to: z.string().trim().optional(),
  journey: z.string().trim().optional(),
  /** A person id: its messages, with those of people merged into it. */
  person: z.string().trim().min(1, 'person must be a person id; leave it out for every message').optional(),
});

export const GET = opsRoute(outboxResponse, async ({ request, db }) => {
  const { items, next_cursor } = await listOutbox(db, parseQuery(request, query));
  return { messages: items, next_cursor };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
