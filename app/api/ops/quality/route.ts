import { opsRoute } from '@/lib/cdp/ops-api';
import { qualityReport } from '@/lib/cdp/quality';

export const GET = opsRoute(async ({ db }) => ({ events: await qualityReport(db) }));
