import { Link } from '@/components/layout/link';
import { formatMoney } from '@/lib/shop/domain/pricing';
import { formatOrderNumber } from '@/lib/shop/server/order-numbers';
import type { AccountOrder } from '@/lib/shop/server/order-views';

const date = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' });

export function AccountOrders({ orders }: { orders: AccountOrder[] }) {
  if (orders.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-stone-300 p-6 text-center text-stone-600">
        <p>No orders yet.</p>
        <Link href="/" className="btn-primary mt-4">
          Start shopping
        </Link>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white" aria-label="Your orders">
      {orders.map((o) => (
        <li key={o.id}>
          <Link href={`/orders/${o.id}`} className="flex items-center justify-between gap-4 p-4 hover:bg-stone-50">
            <span>
              <span className="block font-medium">Order {formatOrderNumber(o.order_number)}</span>
              <span className="text-sm text-stone-500">{date.format(new Date(o.created_at))}</span>
            </span>
            <span className="font-semibold tabular-nums">{formatMoney(o.total_cents)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
