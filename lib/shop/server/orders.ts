import 'server-only';
import type { DB } from '@/lib/db';
import type { OrderLinesTable, OrdersTable } from '@/lib/db/tables/shop';
import type { CheckoutInput } from '@/lib/shop/domain/checkout-schema';
import { getCustomer, resolveCustomerByEmail, type Customer } from './customers';
import { asGuestProbe, checkDiscountCode, unknownCode } from './discounts';
import { recordShopEvent } from './event-outbox';
import { mintId } from './ids';
import { orderCompletedCall, type OrderCompletedContext } from './order-completed';
import { isValidOrderSignature } from './order-links';
import { allocateOrderNumber } from './order-numbers';
import { quoteOrder, type Quote } from '@/lib/shop/domain/pricing';
import { SPENT_CODE, WELCOME_CODE } from '@/lib/shop/domain/welcome-code';
import { quoteChange, type QuoteChange } from '@/lib/shop/domain/quote-check';
import { normalizeEmail } from '@/lib/tracking/email';

export type OrderLine = Omit<OrderLinesTable, 'id' | 'order_id'>;
export type Order = OrdersTable & { lines: OrderLine[] };
/**
 * `order` is the order as stored (same rows getOrder would read back). `customerCreated`: this order's email
 * made a new customer (a guest's first order), so its browser may be identified as them.
 */
export type PlacedOrder = {
  orderId: string;
  customerId: string;
  customer: Customer;
  customerCreated: boolean;
  order: Order;
};

/**
 * `placed`: stored now. `replayed`: this checkout attempt (idempotency key) already placed it, for the quote sent
 * now; nothing new is stored. `already_placed`: this attempt already placed an order, but not for the quote or
 * address the shopper sends now (the cart, country or shipping details changed since): nothing new is stored, and
 * it must not be confirmed as the new order. `quote_changed`: the shopper was shown another total; nothing is
 * stored, here is the new quote. `placed_for_another`: this attempt already placed an order while signed in to an
 * account that is not the one ordering now (signed out, or another signed in, since): nothing is stored, and nothing
 * about that order is told.
 */
export type PlaceOrderResult =
  | ({ status: 'placed' | 'replayed' | 'already_placed' } & PlacedOrder)
  | { status: 'quote_changed'; change: QuoteChange; quote: Quote }
  | { status: 'code_refused'; error: string; quote: Quote }
  | { status: 'placed_for_another' };

/** Thrown inside the order's transaction to roll it back (the customer row it may have touched included). */
class CodeRefused extends Error {}

/**
 * Stores an order — only at the total the shopper was shown, and at most once per checkout attempt. Every
 * price is recomputed from the catalogue here, whatever the client sent. A signed-in shopper's order
 * belongs to their account; a guest's goes to the customer their email resolves to (created on first
 * use). Customer, order number, order and lines are written in one transaction. A discount code is checked in it
 * too, once the customer's row is locked: `code_refused` (nothing stored, the quote without the code) when it is
 * unknown or the customer has ordered before — for a guest, counted as a probe of `client` (asGuestProbe), and
 * once the client is out of them, refused without asking.
 */
export async function placeOrder(
  db: DB,
  input: CheckoutInput,
  signedInCustomerId?: string,
  { now = new Date(), acquisitionSource = 'checkout', client = 'unknown', orderCompleted }: PlaceOrderOptions = {},
): Promise<PlaceOrderResult> {
  const unknown = unknownCode(input.discountCode);
  if (unknown) return { status: 'code_refused', error: unknown.error!, quote: quoteOrder(input.lines, input.country) };
  const store = () => storeOrder(db, input, signedInCustomerId, { now, acquisitionSource, orderCompleted });
  // A guest's spent code says "this email has ordered before", as the quote would: the same probe allowance
  // (asGuestProbe). A retry of an attempt that already placed its order is answered as usual.
  const guestAsks =
    !signedInCustomerId && input.discountCode !== undefined && !(await findOrderByKey(db, input.idempotencyKey));
  if (!guestAsks) return store();
  const told = (r: PlaceOrderResult) => r.status === 'code_refused' && r.error === SPENT_CODE;
  const answer = await asGuestProbe(db, client, now, store, told);
  if (!('tooManyProbes' in answer)) return answer;
  return { status: 'code_refused', error: answer.tooManyProbes, quote: quoteOrder(input.lines, input.country) };
}

/**
 * `client`: the address a guest's discount-code answers are counted under (clientAddress). `orderCompleted`: when
 * tracking is allowed, the order's Order Completed goes into the shop's outbox in the order's transaction
 * (event-outbox.ts), sent after the commit and retried until the pipeline has it.
 */
export type PlaceOrderOptions = {
  now?: Date;
  acquisitionSource?: string;
  client?: string;
  orderCompleted?: OrderCompletedContext;
};

async function storeOrder(
  db: DB,
  input: CheckoutInput,
  signedInCustomerId: string | undefined,
  {
    now,
    acquisitionSource,
    orderCompleted,
  }: Required<Omit<PlaceOrderOptions, 'client' | 'orderCompleted'>> & Pick<PlaceOrderOptions, 'orderCompleted'>,
): Promise<PlaceOrderResult> {
  const quote = quoteOrder(input.lines, input.country, input.discountCode ? WELCOME_CODE : undefined);
  try {
    return await db.transaction().execute(async (trx): Promise<PlaceOrderResult> => {
      const earlier = await findOrderByKey(trx, input.idempotencyKey);
      if (earlier) return replay(earlier, input, signedInCustomerId);
      const change = quoteChange(input.quote, quote, input.country);
      if (change) return { status: 'quote_changed', change, quote };

      const signedIn = signedInCustomerId ? await getCustomer(trx, signedInCustomerId) : undefined;
      const { customer, created } = signedIn
        ? { customer: signedIn, created: false }
        : await resolveCustomerByEmail(trx, input.email, { name: input.name, acquisitionSource, now });
      if (input.discountCode) {
        // A no-op write takes the row's lock (PostgreSQL): a concurrent first order for this customer waits here
        // and then sees this one's order. (A guest's upsert above already locked it; a signed-in read did not.)
        await trx.updateTable('customers').set({ email: customer.email }).where('id', '=', customer.id).execute();
        const check = await checkDiscountCode(trx, input.discountCode, { customerId: customer.id });
        if (check.error) throw new CodeRefused(check.error);
      }
      const orderId = mintId('ord');
      const order: OrdersTable = {
        id: orderId,
        order_number: await allocateOrderNumber(trx),
        idempotency_key: input.idempotencyKey,
        customer_id: customer.id,
        // A signed-in order uses the account's email, so the receipt goes where the account lives.
        email: customer.email,
        name: input.name,
        address_line1: input.addressLine1,
        city: input.city,
        region: input.region,
        postal_code: input.postalCode,
        country: input.country,
        subtotal_cents: quote.subtotalCents,
        shipping_cents: quote.shippingCents,
        tax_cents: quote.taxCents,
        total_cents: quote.totalCents,
        discount_cents: quote.discountCents,
        discount_code: quote.discountCode,
        currency: quote.currency,
        created_at: now.toISOString(),
        placed_signed_in: signedIn ? 1 : 0,
      };
      const lines: OrderLine[] = quote.lines.map((l) => ({
        sku: l.sku,
        variant_id: l.variantId,
        product_id: l.productId,
        name: l.name,
        variant_name: l.variantName,
        quantity: l.quantity,
        unit_price_cents: l.unitPriceCents,
        line_total_cents: l.lineTotalCents,
      }));
      await trx.insertInto('orders').values(order).execute();
      await trx
        .insertInto('order_lines')
        .values(lines.map((l) => ({ order_id: orderId, ...l })))
        .execute();
      if (orderCompleted) await recordShopEvent(trx, orderCompletedCall({ ...order, lines }, orderCompleted), now);
      return {
        status: 'placed',
        orderId,
        customerId: customer.id,
        customer,
        customerCreated: created,
        order: { ...order, lines },
      };
    });
  } catch (err) {
    if (err instanceof CodeRefused)
      return { status: 'code_refused', error: err.message, quote: quoteOrder(input.lines, input.country) };
    // The same attempt committed by a concurrent request (two server processes, PostgreSQL): the unique key
    // rejected this copy, so answer with the order that won.
    const winner = isUniqueViolation(err) ? await findOrderByKey(db, input.idempotencyKey) : undefined;
    if (!winner) throw err;
    return replay(winner, input, signedInCustomerId);
  }
}

/**
 * The answer to an attempt that already placed `earlier`: the same order when the shopper still sends what it was
 * placed with; when the cart, country, discount code or shipping details (a guest's email among them) changed since
 * (edited in another tab, resubmitted after edits, or a hand-crafted request), that the attempt already placed
 * another order — confirming it as this one would tell the shopper a total was charged, or an address used, that
 * never was. An order placed signed in is that account's (its signed link shows its name, address and lines): it is
 * told only to that account, not to whoever holds the tab's attempt after a sign-out or another's sign-in.
 */
function replay(earlier: PlacedOrder, input: CheckoutInput, signedInCustomerId: string | undefined): PlaceOrderResult {
  const { order } = earlier;
  if (order.placed_signed_in === 1 && order.customer_id !== signedInCustomerId) return { status: 'placed_for_another' };
  const stored = {
    totalCents: order.total_cents,
    lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPriceCents: l.unit_price_cents })),
  };
  const changed =
    quoteChange(input.quote, stored, order.country) !== undefined ||
    pricedOtherwise(order, input) ||
    shipsElsewhere(order, input);
  return { status: changed ? 'already_placed' : 'replayed', ...earlier };
}

/** Whether the priced inputs the quote does not carry differ: the country it ships to (the quote's own country may
 * be another, in a request no form sends) and the discount code (the order keeps the code that took money off). */
const pricedOtherwise = (order: Order, input: CheckoutInput) =>
  order.country !== input.country || order.discount_code !== (input.discountCode ?? null);

/** Whether the form now names another recipient or address than the order was placed with. A guest's email is the
 * order's too (a typo corrected on retry must not be confirmed as used); a signed-in order takes the account's
 * email, whatever the form sends. */
const shipsElsewhere = (order: Order, input: CheckoutInput) =>
  (order.placed_signed_in === 0 && order.email !== normalizeEmail(input.email)) ||
  order.name !== input.name ||
  order.address_line1 !== input.addressLine1 ||
  order.city !== input.city ||
  order.postal_code !== input.postalCode ||
  order.region !== input.region;

/** SQLite (better-sqlite3) and PostgreSQL (pg) spell "unique constraint violated" differently. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/** The id of the order a checkout attempt (its idempotency key) stored, if it stored one. */
export async function orderIdOfAttempt(db: DB, idempotencyKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return row?.id;
}

async function findOrderByKey(db: DB, idempotencyKey: string): Promise<PlacedOrder | undefined> {
  const id = await orderIdOfAttempt(db, idempotencyKey);
  const order = id === undefined ? undefined : await getOrder(db, id);
  const customer = order && (await getCustomer(db, order.customer_id));
  return order && customer && { orderId: order.id, customerId: customer.id, customer, customerCreated: false, order };
}

/** What an order bought, by SKU: what the browser takes out of its cart once told of the order (removeBoughtFromCart). */
export const boughtLines = (order: Order) => order.lines.map(({ sku, quantity }) => ({ sku, quantity }));

export async function getOrder(db: DB, id: string): Promise<Order | undefined> {
  const order = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!order) return undefined;
  const lines = await db
    .selectFrom('order_lines')
    .select([
      'sku',
      'variant_id',
      'product_id',
      'name',
      'variant_name',
      'quantity',
      'unit_price_cents',
      'line_total_cents',
    ])
    .where('order_id', '=', id)
    .orderBy('id')
    .execute();
  return { ...order, lines };
}

/**
 * Orders shown in the account: only those placed while signed in. Guest orders under the same email are
 * left out on purpose: signup does not verify that the person owns the email (there is no verification
 * flow yet), so showing them would hand a stranger's orders and address to whoever claims the email.
 */
export async function listAccountOrders(db: DB, customerId: string): Promise<OrdersTable[]> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('placed_signed_in', '=', 1)
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * The confirmation page is for the buyer only: a valid link signature, or the signed-in owner of an order
 * placed while signed in (the same rule as the account list, for the same reason).
 */
export function canViewOrder(
  order: OrdersTable,
  signature: string | undefined,
  sessionCustomerId: string | undefined,
): boolean {
  if (isValidOrderSignature(order.id, signature)) return true;
  return order.placed_signed_in === 1 && sessionCustomerId !== undefined && order.customer_id === sessionCustomerId;
}
