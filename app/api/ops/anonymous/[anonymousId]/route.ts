import { getAnonymousActivity, opsRoute, type OpsContext } from '@/lib/cdp';
import { anonymousResponse } from '@/lib/cdp/ops/contract';

// An unknown id answers with no events rather than 404: tests poll it while the browser's events arrive.
export const GET = opsRoute(anonymousResponse, async ({ db, params }: OpsContext<{ anonymousId: string }>) =>
  getAnonymousActivity(db, params.anonymousId),
);
