import { z } from 'zod';
import { opsRoute, parseQuery, recentRuns } from '@/lib/cdp';
import { journeyRunsResponse } from '@/lib/cdp/ops/contract';

const query = z.object({
  person: z.string().trim().min(1).optional(),
  journey: z.string().trim().min(1).optional(),
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(500).default(100),
});

/** Runs, latest change first: `person` is a person id or the anonymous id of a profile never identified. */
export const GET = opsRoute(journeyRunsResponse, async ({ request, db }) => {
  const { person, journey, limit } = parseQuery(request, query);
  return { runs: await recentRuns(db, { profileId: person, journeyId: journey, limit }) };
});
