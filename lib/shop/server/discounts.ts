import 'server-only';
import type { DB } from '@/lib/db';
import { isWelcomeCode, SPENT_CODE, UNKNOWN_CODE, WELCOME_CODE } from '@/lib/shop/domain/welcome-code';
import { normalizeEmail } from '@/lib/tracking/email';

/** Who the order is for, as far as it is known: the customer placing it, or the email typed so far. */
export type CodeHolder = { customerId?: string; email?: string };

/** `code`: apply it. `error`: say why not, and price without it (never a silent change of the total). */
export type CodeCheck = { code?: typeof WELCOME_CODE; error?: string };

/** Whether the code (already normalised) is one the shop has: the answer needs no database. */
export const unknownCode = (code: string | undefined): CodeCheck | undefined =>
  code !== undefined && !isWelcomeCode(code) ? { error: UNKNOWN_CODE(code) } : undefined;

/**
 * The welcome code is for a customer's first order: valid while neither the customer nor (for a guest not yet
 * resolved) the customer that email belongs to has an order. Placing the order calls it inside its transaction,
 * after the customer row is locked (see placeOrder), so two first orders at once cannot both use it.
 */
export async function checkDiscountCode(db: DB, code: string | undefined, holder: CodeHolder): Promise<CodeCheck> {
  if (code === undefined) return {};
  const unknown = unknownCode(code);
  if (unknown) return unknown;
  return (await hasOrdered(db, holder)) ? { error: SPENT_CODE } : { code: WELCOME_CODE };
}

async function hasOrdered(db: DB, { customerId, email }: CodeHolder): Promise<boolean> {
  if (!customerId && !email) return false;
  let query = db.selectFrom('orders').innerJoin('customers', 'customers.id', 'orders.customer_id').select('orders.id');
  query = customerId
    ? query.where('orders.customer_id', '=', customerId)
    : query.where('customers.email', '=', normalizeEmail(email!));
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}
