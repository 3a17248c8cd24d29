import { getPerson, opsRoute, personNotFound, type OpsContext } from '@/lib/cdp';
import { personResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

export const GET = opsRoute(personResponse, async ({ db, params }: OpsContext<{ id: string }>) => {
  const person = await getPerson(db, params.id);
  return person ? { person } : personNotFound(db, params.id);
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
