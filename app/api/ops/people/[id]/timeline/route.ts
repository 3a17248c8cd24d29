import { getPerson } from '@/lib/cdp/read/people';
import { opsRoute, personNotFound } from '@/lib/cdp/ops/route';
import { getTimeline } from '@/lib/cdp/read/timeline';

export const GET = opsRoute<{ id: string }>(async ({ db, params }) => {
  if (!(await getPerson(db, params.id))) return personNotFound(db, params.id);
  return { person_id: params.id, events: await getTimeline(db, params.id) };
});
