import Link from 'next/link';
import { formatAmount, type RecoveredOrders as Recovered } from '@/lib/cdp';

/** Orders within 72 h of a cart recovery email: the number the strategies are judged by, and the latest of them. */
export function RecoveredOrders({ recovered }: { recovered: Recovered }) {
  const { count, latest } = recovered;
  const revenue = recovered.revenue.map((r) => formatAmount(r.total, r.currency)).join(' + ') || formatAmount(0, 'USD');
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
            {count.toLocaleString('en-US')}
          </dd>
        </div>
        <div>
          <dt className="text-xs tracking-wide text-stone-500 uppercase">Revenue</dt>
          <dd className="text-3xl font-semibold tabular-nums" data-testid="recovered-revenue">
            {revenue}
          </dd>
        </div>
      </dl>
      {count > latest.length ? (
        <p className="mt-3 text-sm text-stone-600">
          The latest {latest.length} of {count.toLocaleString('en-US')}:
        </p>
      ) : null}
      {latest.length ? (
        <ul className="mt-3 space-y-1 text-sm">
          {latest.map((o) => (
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
