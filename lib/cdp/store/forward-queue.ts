import 'server-only';
import type { DB } from '@/lib/db';
import type { IngestMessage } from '@/lib/cdp/model/message';

/**
 * Queues an accepted call for Customer.io in the same transaction that stores it, so a crash between
 * "stored" and "forwarded" loses nothing. One row per messageId: a repeat is not forwarded twice.
 * Returns false for a repeat.
 */
export async function enqueueForward(db: DB, message: IngestMessage, at: Date): Promise<boolean> {
  // The local write key must never travel to Customer.io; the forwarder authenticates with CIO_WRITE_KEY.
  const payload: Record<string, unknown> = { ...message };
  delete payload.writeKey;
  const result = await db
    .insertInto('cdp_forward_queue')
    .values({
      message_id: message.messageId,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      next_attempt_at: 0,
      last_error: null,
      created_at: at.toISOString(),
      sent_at: null,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
