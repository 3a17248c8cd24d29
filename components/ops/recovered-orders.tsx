import Link from 'next/link';
import { formatAmount, type RecoveredOrder } from '@/lib/cdp';

/** Orders within 72 h of a cart recovery email: the number the strategies are judged by. */
export function RecoveredOrders({ orders }: { orders: RecoveredOrder[] }) {
  const byCurrency = new Map<string, number>();
  for (const o of orders) byCurrency.set(o.currency, (byCurrency.get(o.currency) ?? 0) + o.total);
  const revenue =
    [...byCurrency].map(([currency, total]) => formatAmount(total, currency)).join(' + ') || formatAmount(0, 'USD');
  return (
    <section aria-labelledby="recovered-heading" className="rounded-lg border border-stone-200 bg-white p-4">
      <h2 id="recovered-heading" className="font-semibold text-stone-900">
        Recovered
      </h2>
      <p className="text-sm text-stone-600">
        Orders placed within 72 h after a cart recovery email to the same person, as the shop&apos;s server reported
        them.
      </p>
      <dl className="mt-3 flex gap-10">
        <div>
          <dt className="text-xs tracking-wide text-stone-500 uppercase">Orders</dt>
          <dd className="text-3xl font-semibold tabular-nums" data-testid="recovered-orders">
            {orders.length}
          </dd>
        </div>
        <div>
          <dt className="text-xs tracking-wide text-stone-500 uppercase">Revenue</dt>
          <dd className="text-3xl font-semibold tabular-nums" data-testid="recovered-revenue">
            {revenue}
          </dd>
        </div>
      </dl>
      {orders.length ? (
        <ul className="mt-3 space-y-1 text-sm">
          {orders.map((o) => (
            <li key={o.order_id}>
              <span className="font-mono">{o.order_id}</span> · {formatAmount(o.total, o.currency)} ·{' '}
              <Link href={`/ops/outbox/${encodeURIComponent(o.message_id)}`} className="underline underline-offset-2">
                after this email
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
