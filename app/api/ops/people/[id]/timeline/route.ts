import { getPerson, opsRoute, parseQuery, personNotFound, timelinePage, type OpsContext } from '@/lib/cdp';
import { pageQuery, timelineResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = pageQuery(200, 1000);

/** A person's events, oldest first, a page at a time (`next_cursor` → `?cursor=`). */
export const GET = opsRoute(timelineResponse, async ({ request, db, params }: OpsContext<{ id: string }>) => {
  const page = parseQuery(request, query);
  if (!(await getPerson(db, params.id))) return personNotFound(db, params.id);
  const { items, next_cursor } = await timelinePage(db, params.id, page);
  return { person_id: params.id, events: items, next_cursor };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
