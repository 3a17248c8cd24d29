import 'server-only';
import type { DB } from '@/lib/db';
import { MINUTE } from '@/lib/common/duration';

/**
 * The browsers (anonymous ids) the shop itself identified as each customer. A browser may be identified as a
 * customer, and told anything about them, only when it already is that customer: signed in as them, one of these,
 * or the browser whose request just created the customer. Anyone can type an email address; that alone proves
 * nothing (README, "Known limitations").
 */
export async function rememberBrowser(
  db: DB,
  customerId: string,
  anonymousId: string,
  at = new Date(),
  // `cartSet`: the identify that made it theirs also set their `cart` attribute (rememberCartWrite, in the same write).
  { cartSet = false } = {},
) {
  const iso = at.toISOString();
  const stamps = cartSet ? { linked_at: iso, cart_set_at: iso } : { linked_at: iso };
  await db
    .insertInto('customer_browsers')
    .values({ anonymous_id: anonymousId, customer_id: customerId, ...stamps })
    .onConflict((oc) => oc.columns(['anonymous_id', 'customer_id']).doUpdateSet(stamps))
    .execute();
}

export async function isKnownBrowser(db: DB, customerId: string, anonymousId: string | null): Promise<boolean> {
  if (!anonymousId) return false;
  const row = await db
    .selectFrom('customer_browsers')
    .select('customer_id')
    .where('anonymous_id', '=', anonymousId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The customer this browser was last identified as, if any. A browser identified as someone else since (a shared
 * device) belongs to the later one; logout rotates the anonymous id, so a logged-out browser has no link at all.
 */
export async function latestCustomerOf(db: DB, anonymousId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('customer_browsers')
    .select('customer_id')
    .where('anonymous_id', '=', anonymousId)
    .orderBy('linked_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.customer_id;
}

/** Records that this browser (already theirs: rememberBrowser) just set the customer's `cart` attribute. */
export async function rememberCartWrite(db: DB, customerId: string, anonymousId: string, at = new Date()) {
  await db
    .updateTable('customer_browsers')
    .set({ cart_set_at: at.toISOString() })
    .where('anonymous_id', '=', anonymousId)
    .where('customer_id', '=', customerId)
    .execute();
}

/** Whether this browser set the customer's `cart` attribute last, of all the browsers known as theirs. */
export async function setCartLast(db: DB, customerId: string, anonymousId: string): Promise<boolean> {
  const row = await db
    .selectFrom('customer_browsers')
    .select('anonymous_id')
    .where('customer_id', '=', customerId)
    .where('cart_set_at', 'is not', null)
    .orderBy('cart_set_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.anonymous_id === anonymousId;
}

/** Whether this request's browser is the customer (see above). */
export async function browserIsCustomer(
  db: DB,
  customerId: string,
  request: { sessionCustomerId: string | undefined; anonymousId: string | null; created: boolean },
): Promise<boolean> {
  if (request.sessionCustomerId !== undefined) return request.sessionCustomerId === customerId;
  return request.created || (await isKnownBrowser(db, customerId, request.anonymousId));
}

/** How long after leaving an email a shopper may still be correcting it (a typo noticed at checkout). */
export const EMAIL_CORRECTION_WINDOW_MS = 30 * MINUTE;

/**
 * Whether `customerId` is the address `replaces` (what the form says it typed before), left by this browser alone
 * minutes ago and nothing else: no account, no order, no other browser, created within EMAIL_CORRECTION_WINDOW_MS.
 * The address typed now then corrects it (ada@exmaple.com → ada@example.com) rather than being a second person on a
 * shared device: the history of this browser belongs to the corrected address, or the recovery email for its cart
 * goes to the mistyped one. The form's word alone moves nothing that is not this browser's own, minutes-old capture.
 * Its other browsers may only be ids an earlier correction moved to it from `to`, the customer now typed (ada →
 * adda → ada: this browser's first id, which went to adda, comes back). Returns the anonymous ids the correction
 * moves to `to` (this browser's among them), or null when it is none.
 */
export async function isEmailBeingCorrected(
  db: DB,
  customerId: string,
  replaces: string,
  anonymousId: string,
  now = new Date(),
  to?: string,
): Promise<string[] | null> {
  const customer = await db
    .selectFrom('customers')
    .select(['email', 'password_hash', 'created_at'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer || customer.email !== replaces || customer.password_hash !== null) return null;
  if (now.getTime() - new Date(customer.created_at).getTime() > EMAIL_CORRECTION_WINDOW_MS) return null;
  const browsersOf = (id: string) =>
    db.selectFrom('customer_browsers').select('anonymous_id').where('customer_id', '=', id).execute();
  const [order, browsers, target] = await Promise.all([
    db.selectFrom('orders').select('id').where('customer_id', '=', customerId).limit(1).executeTakeFirst(),
    browsersOf(customerId),
    to === undefined ? [] : browsersOf(to),
  ]);
  const ids = browsers.map((b) => b.anonymous_id);
  const fromTarget = new Set(target.map((b) => b.anonymous_id));
  const own = ids.includes(anonymousId) && ids.every((id) => id === anonymousId || fromTarget.has(id));
  return order === undefined && own ? ids : null;
}
