import { z } from 'zod';
import { opsRoute, parseJsonBody, replayDeadLetters } from '@/lib/cdp';
import { replayResponse } from '@/lib/cdp/ops/contract';
import { otherMethods } from '@/lib/common/http-methods';

const IDS = 'ids must be a list of queue row ids (whole numbers from 1)';
// Every check names its message: zod's own ("expected int, received number") do not say what an id is.
const rowId = z.number({ error: IDS }).int({ error: IDS, abort: true }).positive({ error: IDS });

const body = z.strictObject({
  ids: z
    .array(rowId, { error: IDS })
    .max(1000, 'replay at most 1000 rows by id, or leave ids out to replay all')
    .optional(),
});

/** Queues dead-lettered calls to Customer.io again: `{}` for all of them, `{ "ids": [..] }` for some. */
export const POST = opsRoute(replayResponse, async ({ request, db }) => ({
  replayed: await replayDeadLetters(db, (await parseJsonBody(request, body)).ids),
}));

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
