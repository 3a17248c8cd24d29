import { builtInJourneys, journeyRunsQuery, opsRoute, parseQuery, recentRuns } from '@/lib/cdp';
import { journeyRunsResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const query = journeyRunsQuery(builtInJourneys.map((j) => j.id));

/** Runs, latest change first: `person` is a person id or the anonymous id of a profile never identified. */
export const GET = opsRoute(journeyRunsResponse, async ({ request, db }) => {
  const { person, journey, cursor, limit } = parseQuery(request, query);
  const { items, next_cursor } = await recentRuns(db, { profileId: person, journeyId: journey, cursor, limit });
  return { runs: items, next_cursor };
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
