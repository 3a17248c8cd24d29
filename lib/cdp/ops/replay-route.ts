import 'server-only';
import { z } from 'zod';
import type { DB } from '@/lib/db';
import { MAX_ROW_ID } from '@/lib/db/dialect';
import { HttpError } from '@/lib/common/http';
import type { replayDeadRows } from '@/lib/db/retry-queue';
import { replayResponse } from './contract';
import { opsRoute, parseJsonBody } from './route';

const IDS = `ids must be a list of queue row ids (whole numbers from 1 to ${MAX_ROW_ID})`;
// Every check names its message: zod's own ("expected int, received number") do not say what an id is.
const rowId = z
  .number({ error: IDS })
  .int({ error: IDS, abort: true })
  .positive({ error: IDS })
  .max(MAX_ROW_ID, { error: IDS });

const body = z.strictObject({
  ids: z
    .array(rowId, { error: IDS })
    .max(1000, 'replay at most 1000 rows by id, or leave ids out to replay all')
    .optional(),
});

const listed = (ids: number[]) =>
  ids.length > 10 ? `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more` : ids.join(', ');

/**
 * POST of a retry queue's replay (the forward queue's, the shop outbox's): `{}` queues every dead letter again,
 * `{ "ids": [..] }` those rows, all or none: 404 naming the ids that are no row, 409 naming those not dead-lettered
 * (pending, sent, held). The ops route's token and same-origin checks apply.
 */
export const replayRoute = (replay: (db: DB, ids?: number[]) => ReturnType<typeof replayDeadRows>) =>
  opsRoute(replayResponse, async ({ request, db }) => {
    const outcome = await replay(db, (await parseJsonBody(request, body)).ids);
    if ('missing' in outcome) throw new HttpError(404, `No queue row with id ${listed(outcome.missing)}`);
    if ('notDead' in outcome)
      throw new HttpError(409, `Not dead-lettered, so not replayed: ${listed(outcome.notDead)} (nothing was replayed)`);
    return outcome;
  });
