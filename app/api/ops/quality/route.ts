import { opsRoute } from '@/lib/cdp/ops/route';
import { qualityReport } from '@/lib/cdp/read/quality-report';

export const GET = opsRoute(async ({ db }) => ({ events: await qualityReport(db) }));
