import 'server-only';
import type { DB } from '@/lib/db';
import type { OrderLinesTable, OrdersTable } from '@/lib/db/tables/shop';
import type { CheckoutInput } from '@/lib/shop/domain/checkout-schema';
import { findOrCreateCustomerByEmail, getCustomer, type Customer } from './customers';
import { mintId } from './ids';
import { isValidOrderSignature } from './order-links';
import { quoteOrder } from '@/lib/shop/domain/pricing';

export type OrderLine = Omit<OrderLinesTable, 'id' | 'order_id'>;
export type Order = OrdersTable & { lines: OrderLine[] };
/** `order` is the order as stored (same rows getOrder would read back). */
export type PlacedOrder = { orderId: string; customerId: string; customer: Customer; order: Order };

/**
 * Stores an order. Every price is recomputed from the catalogue here, whatever the client sent. A
 * signed-in shopper's order belongs to their account; a guest's goes to the customer their email
 * resolves to (created on first use). Customer, order and lines are written in one transaction.
 */
export async function placeOrder(
  db: DB,
  input: CheckoutInput,
  signedInCustomerId?: string,
  { now = new Date(), acquisitionSource = 'checkout' }: { now?: Date; acquisitionSource?: string } = {},
): Promise<PlacedOrder> {
  const quote = quoteOrder(input.lines, input.country);
  return db.transaction().execute(async (trx) => {
    const signedIn = signedInCustomerId ? await getCustomer(trx, signedInCustomerId) : undefined;
    const customer =
      signedIn ?? (await findOrCreateCustomerByEmail(trx, input.email, { name: input.name, acquisitionSource, now }));
    const orderId = mintId('ord');
    const order: OrdersTable = {
      id: orderId,
      customer_id: customer.id,
      // A signed-in order uses the account's email, so the receipt goes where the account lives.
      email: customer.email,
      name: input.name,
      address_line1: input.addressLine1,
      city: input.city,
      postal_code: input.postalCode,
      country: input.country,
      subtotal_cents: quote.subtotalCents,
      shipping_cents: quote.shippingCents,
      tax_cents: quote.taxCents,
      total_cents: quote.totalCents,
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
    return { orderId, customerId: customer.id, customer, order: { ...order, lines } };
  });
}

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
