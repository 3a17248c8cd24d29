import { opsRoute, qualityReport } from '@/lib/cdp';
import { qualityResponse } from '@/lib/cdp/ops/contract';

export const GET = opsRoute(qualityResponse, async ({ db }) => ({ events: await qualityReport(db) }));
