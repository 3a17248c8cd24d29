import { expect, it } from 'vitest';
import type { DB } from '@/lib/db';
import { addMs } from '@/lib/common/duration';
import { purgeHeldForwards } from '@/lib/cdp/store/forward-queue';
import { REJECTION_RETENTION_MS } from '@/lib/cdp/model/windows';
import { freshDb, identify, ingest, T0, track } from './support';

// Identity calls held for failing verification are never sent (a verified copy brings its own): kept as long as the
// data-quality log keeps refused calls, then deleted, so a flood of unsigned identify calls does not grow the
// forward queue for good. Calls held for an unvouched userId go with their event (identity/purge.ts), not here.

const proxy = { forward: true, local: false, trusted: false };
const held = (db: DB) =>
  db.selectFrom('cdp_forward_queue').select(['message_id', 'last_error']).where('status', '=', 'held').execute();

it('deletes identity calls held for failing verification after 30 days, and nothing else', async () => {
  const db = await freshDb();
  const unsigned = (n: number) => ({
    ...identify(`cus_${n}`, `anon-${n}`, { email: `p${n}@example.com` }),
    messageId: `id-${n}`,
  });
  await ingest(db, [unsigned(1)], T0, proxy);
  await ingest(db, [unsigned(2)], addMs(T0, 10 * 24 * 3_600_000), proxy);
  // A browser call naming a customer nobody vouched for: held, for the anonymous purge to settle.
  await ingest(db, [track('Order Completed', { userId: 'cus_9', anonymousId: 'anon-9', messageId: 'order-9' })], T0, {
    ...proxy,
    local: true,
  });
  // One the forwarder owes Customer.io: never purged here, however old.
  await ingest(db, [track('Product Viewed', { anonymousId: 'anon-8', messageId: 'view-8' })], T0, { forward: true });
  expect((await held(db)).map((r) => r.message_id).sort()).toEqual(['id-1', 'id-2', 'order-9']);

  expect(await purgeHeldForwards(db, addMs(T0, REJECTION_RETENTION_MS))).toBe(0);
  expect(await purgeHeldForwards(db, addMs(T0, REJECTION_RETENTION_MS + 1))).toBe(1);
  expect((await held(db)).map((r) => r.message_id).sort()).toEqual(['id-2', 'order-9']);
  expect(await purgeHeldForwards(db, addMs(T0, 400 * 24 * 3_600_000))).toBe(1);
  expect(await held(db)).toEqual([{ message_id: 'order-9', last_error: 'unverified_user_id' }]);
  const pending = await db
    .selectFrom('cdp_forward_queue')
    .select('message_id')
    .where('status', '=', 'pending')
    .execute();
  expect(pending).toEqual([{ message_id: 'view-8' }]);
});
