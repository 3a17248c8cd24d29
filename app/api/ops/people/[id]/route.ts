import { getPerson, opsRoute, personNotFound, type OpsContext } from '@/lib/cdp';
import { personResponse } from '@/lib/cdp/ops/contract';

export const GET = opsRoute(personResponse, async ({ db, params }: OpsContext<{ id: string }>) => {
  const person = await getPerson(db, params.id);
  return person ? { person } : personNotFound(db, params.id);
});
