import { getAnonymousActivity, opsRoute, parseQuery, type OpsContext } from '@/lib/cdp';
import { anonymousResponse, pageQuery } from '@/lib/cdp/ops/contract';

const query = pageQuery(200, 1000);

// An unknown id answers with no events rather than 404: tests poll it while the browser's events arrive.
export const GET = opsRoute(anonymousResponse, async ({ request, db, params }: OpsContext<{ anonymousId: string }>) =>
  getAnonymousActivity(db, params.anonymousId, parseQuery(request, query)),
);
