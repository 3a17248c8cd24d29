import { now } from '@/lib/cdp/clock';
import { opsRoute } from '@/lib/cdp/ops-api';
import { listSegments } from '@/lib/cdp/segments/membership';

export const GET = opsRoute(async ({ db }) => ({ segments: await listSegments(db, await now(db)) }));
