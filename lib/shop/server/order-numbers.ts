import 'server-only';
import type { DB } from '@/lib/db';

/** "GL-10042": what the shopper reads on the confirmation and quotes to support. */
export const formatOrderNumber = (n: number) => `GL-${n}`;

/**
 * The next order number, taken inside the order's transaction from the one-row counter. The increment and
 * the read are one statement holding the row's write lock, so concurrent orders never share a number (on
 * SQLite and PostgreSQL alike), and an order that rolls back gives its number back.
 */
export async function allocateOrderNumber(trx: DB): Promise<number> {
  const row = await trx
    .updateTable('order_number_counter')
    .set((eb) => ({ last_number: eb('last_number', '+', 1) }))
    .where('id', '=', 1)
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}
