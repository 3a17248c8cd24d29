import { listAnonymousVisitors, opsRoute, parseQuery } from '@/lib/cdp';
import { anonymousVisitorsResponse, pageQuery } from '@/lib/cdp/ops/contract';

const query = pageQuery(20, 500);

export const GET = opsRoute(anonymousVisitorsResponse, async ({ request, db }) => {
  const { items, next_cursor } = await listAnonymousVisitors(db, parseQuery(request, query));
  return { visitors: items, next_cursor };
});
