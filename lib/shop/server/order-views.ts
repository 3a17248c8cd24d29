import 'server-only';
import { getDb } from '@/lib/db';
import { getSession } from './auth/session';
import { canViewOrder, getOrder, listAccountOrders } from './orders';

/** What the account and order pages may show: their reads, with the access rules of ./orders.ts applied. */

/** The customer's orders for the account page: only those placed while signed in. */
export async function accountOrders(customerId: string) {
  return listAccountOrders(await getDb(), customerId);
}
export type AccountOrder = Awaited<ReturnType<typeof accountOrders>>[number];

/** An order for its confirmation page; undefined when there is no such order or this visitor is not its buyer. */
export async function orderForViewer(id: string, signature: string | undefined) {
  const [order, session] = await Promise.all([getOrder(await getDb(), id), getSession()]);
  return order && canViewOrder(order, signature, session?.customerId) ? order : undefined;
}
