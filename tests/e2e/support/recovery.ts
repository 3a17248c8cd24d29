import type { BrowserContext } from '@playwright/test';
import type { z } from 'zod';
import {
  anonymousResponse,
  journeyPassResponse,
  journeyRunsResponse,
  peopleResponse,
  personResponse,
  segmentResponse,
} from '@/lib/cdp/ops/contract';
import { browseAndAbandon, opsClient } from '../../../scripts/demo-scenario.mjs';
import { expect, test } from './test';
import { anonymousIdCookie } from './tracking';

// The pipeline as the cart-recovery specs drive it: /api/ops on the test's own server (the `postgres` project's
// balancer, or the SQLite server), every answer parsed with its schema in lib/cdp/ops/contract.ts.

let client: ReturnType<typeof opsClient>;

/** Call once in a spec: each test's `ops` calls go to its own baseURL. */
export function opsPerTest() {
  test.beforeEach(({ baseURL }) => {
    client = opsClient(baseURL!, process.env.E2E_OPS_TOKEN!);
  });
}

export const ops = {
  get: async <S extends z.ZodType>(path: string, schema: S) => schema.parse(await client.get(path)),
  runJourneys: async () => journeyPassResponse.parse(await client.post('journeys/run')),
  advanceClock: (advance: string) => client.post('clock', { advance }),
};

/** The journey runs of a profile (a person or an anonymous id), by journey id. */
export const runsOf = async (profile: string) =>
  Object.fromEntries(
    (await ops.get(`journeys/runs?person=${encodeURIComponent(profile)}`, journeyRunsResponse)).runs.map((r) => [
      r.journey_id,
      r,
    ]),
  );
export const members = async (segment: string) =>
  (await ops.get(`segments/${segment}`, segmentResponse)).members.map((m) => m.person_id);
export const personOf = async (id: string) => (await ops.get(`people/${id}`, personResponse)).person;
export const personIdOf = async (email: string) =>
  (await ops.get(`people?email=${encodeURIComponent(email)}`, peopleResponse)).people[0]?.id;

/** Anonymous visit with the bundle added; resolves once the pipeline has stored the add. */
export async function abandonCart(context: BrowserContext): Promise<string> {
  await browseAndAbandon(await context.newPage(), { pause: () => ops.advanceClock('1m') });
  const anonymousId = (await anonymousIdCookie(context))!;
  await expect
    .poll(async () => (await ops.get(`anonymous/${anonymousId}`, anonymousResponse)).events.map((e) => e.name))
    .toContain('Added to Cart');
  return anonymousId;
}
