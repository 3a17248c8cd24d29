import { now } from '@/lib/cdp/store/clock';
import { opsRoute } from '@/lib/cdp/ops/route';
import { listSegments } from '@/lib/cdp/read/segment-membership';

export const GET = opsRoute(async ({ db }) => ({ segments: await listSegments(db, await now(db)) }));
