import { replayRoute } from '@/lib/cdp';
import { otherMethods } from '@/lib/common/http-methods';
import { kickShopEvents } from '@/lib/shop/server/shop-events';
import { replayDeadShopEvents } from '@/lib/shop/server/event-outbox';

/**
 * Queues the shop's dead-lettered server calls to the pipeline again: `{}` for all, `{ "ids": [..] }` for some
 * (all or none). A pass starts after the answer, as the forward queue's replay starts one.
 */
export const POST = replayRoute(async (db, ids) => {
  const outcome = await replayDeadShopEvents(db, ids);
  if ('replayed' in outcome && outcome.replayed) kickShopEvents(db);
  return outcome;
});

// Every other method: 405 with Allow (RFC 9110), OPTIONS naming the same (lib/common/http-methods.ts).
export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods('POST');
