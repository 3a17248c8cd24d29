import 'server-only';
import type { DB } from '@/lib/db';
import { tryAgainIn } from '@/lib/common/attempts';
import { probeAllowance, recordProbe } from '@/lib/shop/server/auth/rate-limit';
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

/**
 * The code checked for a guest's typed email, as the checkout's quote does. "For a first order only" tells whoever
 * asks that the address has ordered here, so like signup and email capture (rate-limit.ts) each such answer is a
 * probe of the client's (see asGuestProbe; a signed-in customer is never counted).
 */
export async function checkGuestDiscountCode(
  db: DB,
  code: string,
  email: string | undefined,
  ip: string,
  now = new Date(),
): Promise<CodeCheck> {
  const unknown = unknownCode(code);
  if (unknown) return unknown;
  const answer = await asGuestProbe(
    db,
    ip,
    now,
    () => checkDiscountCode(db, code, { email }),
    (check) => check.error === SPENT_CODE,
  );
  return 'tooManyProbes' in answer ? { error: answer.tooManyProbes } : answer;
}

/**
 * Every answer to a guest that says "this email has ordered before" — the quote's, and placing an order with a
 * spent code — is one probe of the client's (rate-limit.ts, shared with signup and email capture). Past
 * PROBE_LIMIT in the window, `ask` is not run at all and the client reads `tooManyProbes` until the window passes,
 * whatever the address, so neither the quote nor Place order can list who has ordered. `ask` must store nothing
 * when it tells (placing the order rolls back), so the count is written here, after it.
 */
export async function asGuestProbe<T>(
  db: DB,
  ip: string,
  now: Date,
  ask: () => Promise<T>,
  toldOrdered: (answer: T) => boolean,
): Promise<T | { tooManyProbes: string }> {
  const allowance = await probeAllowance(db, ip, now);
  if (!allowance.allowed)
    return { tooManyProbes: `Too many attempts with a discount code. ${tryAgainIn(allowance.retryInMinutes)}` };
  const answer = await ask();
  if (toldOrdered(answer)) await recordProbe(db, ip, now);
  return answer;
}

async function hasOrdered(db: DB, { customerId, email }: CodeHolder): Promise<boolean> {
  if (!customerId && !email) return false;
  let query = db.selectFrom('orders').innerJoin('customers', 'customers.id', 'orders.customer_id').select('orders.id');
  query = customerId
    ? query.where('orders.customer_id', '=', customerId)
    : query.where('customers.email', '=', normalizeEmail(email!));
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}
