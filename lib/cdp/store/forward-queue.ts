import 'server-only';
import type { DB } from '@/lib/db';
import type { IngestMessage } from '@/lib/cdp/model/message';

/**
 * Queues an accepted call for Customer.io in the same transaction that stores it, so a crash between
 * "stored" and "forwarded" loses nothing. One row per messageId: a repeat is not forwarded twice.
 * Returns false for a repeat.
 */
export async function enqueueForward(db: DB, message: IngestMessage, at: Date): Promise<boolean> {
  return queue(db, message, at, 'pending', null);
}

/**
 * An identity call that failed verification is never forwarded: it is recorded here as `held`, with the reason,
 * so proxy mode (nothing stored locally) still shows what was kept from Customer.io and why.
 */
export async function recordHeldForward(db: DB, message: IngestMessage, at: Date, reason: string): Promise<void> {
  await queue(db, message, at, 'held', reason);
}

async function queue(
  db: DB,
  message: IngestMessage,
  at: Date,
  status: 'pending' | 'held',
  reason: string | null,
): Promise<boolean> {
  // The local write key must never travel to Customer.io; the forwarder authenticates with CIO_WRITE_KEY.
  const payload: Record<string, unknown> = { ...message };
  delete payload.writeKey;
  const result = await db
    .insertInto('cdp_forward_queue')
    .values({
      message_id: message.messageId,
      payload: JSON.stringify(payload),
      status,
      attempts: 0,
      next_attempt_at: 0,
      last_error: reason,
      created_at: at.toISOString(),
      sent_at: null,
    })
    // A verified copy of a messageId that was held (e.g. the server's after the browser's unsigned one) goes out.
    .onConflict((oc) =>
      status === 'pending'
        ? oc
            .column('message_id')
            .doUpdateSet({ status, payload: JSON.stringify(payload), last_error: null })
            .where('cdp_forward_queue.status', '=', 'held')
        : oc.column('message_id').doNothing(),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
