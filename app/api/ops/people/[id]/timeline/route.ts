import { getPerson } from '@/lib/cdp/people';
import { opsRoute, personNotFound } from '@/lib/cdp/ops-api';
import { getTimeline } from '@/lib/cdp/timeline';

export const GET = opsRoute<{ id: string }>(async ({ db, params }) => {
  if (!(await getPerson(db, params.id))) return personNotFound(db, params.id);
  return { person_id: params.id, events: await getTimeline(db, params.id) };
});
