import { getAnonymousActivity, opsRoute, parseQuery, type OpsContext } from '@/lib/cdp';
import { anonymousResponse, pageQuery } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = pageQuery(200, 1000);

// An unknown id answers with no events rather than 404: tests poll it while the browser's events arrive.
export const GET = opsRoute(anonymousResponse, async ({ request, db, params }: OpsContext<{ anonymousId: string }>) =>
  getAnonymousActivity(db, params.anonymousId, parseQuery(request, query)),
);

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
