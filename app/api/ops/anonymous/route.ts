import { listAnonymousVisitors, opsRoute, parseQuery } from '@/lib/cdp';
import { anonymousVisitorsResponse, pageQuery } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = pageQuery(20, 500);

export const GET = opsRoute(anonymousVisitorsResponse, async ({ request, db }) => {
  const { items, next_cursor } = await listAnonymousVisitors(db, parseQuery(request, query));
  return { visitors: items, next_cursor };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
