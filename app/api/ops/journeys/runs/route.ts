import { z } from 'zod';
import { opsRoute, parseQuery, recentRuns } from '@/lib/cdp';
import { journeyRunsResponse, pageQuery } from '@/lib/cdp/ops/contract';

const query = pageQuery(100, 500).extend({
  person: z.string().trim().min(1).optional(),
  journey: z.string().trim().min(1).optional(),
});

/** Runs, latest change first: `person` is a person id or the anonymous id of a profile never identified. */
export const GET = opsRoute(journeyRunsResponse, async ({ request, db }) => {
  const { person, journey, cursor, limit } = parseQuery(request, query);
  const { items, next_cursor } = await recentRuns(db, { profileId: person, journeyId: journey, cursor, limit });
  return { runs: items, next_cursor };
});
