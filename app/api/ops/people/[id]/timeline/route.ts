import { getPerson, getTimeline, opsRoute, personNotFound, type OpsContext } from '@/lib/cdp';
import { timelineResponse } from '@/lib/cdp/ops/contract';

export const GET = opsRoute(timelineResponse, async ({ db, params }: OpsContext<{ id: string }>) => {
  if (!(await getPerson(db, params.id))) return personNotFound(db, params.id);
  return { person_id: params.id, events: await getTimeline(db, params.id) };
});
