import { getPerson } from '@/lib/cdp/people';
import { opsRoute, personNotFound } from '@/lib/cdp/ops-api';

export const GET = opsRoute<{ id: string }>(async ({ db, params }) => {
  const person = await getPerson(db, params.id);
  return person ? { person } : personNotFound(db, params.id);
});
