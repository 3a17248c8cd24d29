import { NO_QUERY, opsRoute, parseQuery, qualityReport } from '@/lib/cdp';
import { qualityResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

export const GET = opsRoute(qualityResponse, async ({ request, db }) => {
  parseQuery(request, NO_QUERY);
  return { events: await qualityReport(db) };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
