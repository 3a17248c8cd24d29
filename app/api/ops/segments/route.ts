import { listSegments, now, opsRoute } from '@/lib/cdp';
import { segmentsResponse } from '@/lib/cdp/ops/contract';

export const GET = opsRoute(segmentsResponse, async ({ db }) => ({ segments: await listSegments(db, await now(db)) }));
