import { opsRoute } from '@/lib/cdp/ops/route';
import { getAnonymousActivity } from '@/lib/cdp/read/timeline';

// An unknown id answers with no events rather than 404: tests poll it while the browser's events arrive.
export const GET = opsRoute<{ anonymousId: string }>(async ({ db, params }) =>
  getAnonymousActivity(db, params.anonymousId),
);
