import { getPerson } from '@/lib/cdp/read/people';
import { opsRoute, personNotFound } from '@/lib/cdp/ops/route';

export const GET = opsRoute<{ id: string }>(async ({ db, params }) => {
  const person = await getPerson(db, params.id);
  return person ? { person } : personNotFound(db, params.id);
});
