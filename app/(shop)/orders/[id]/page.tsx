import type { Metadata } from 'next';
import { Link } from '@/components/layout/link';
import { notFound } from 'next/navigation';
import { OrderSummary } from '@/components/checkout/order-summary';
import { DISCONTINUED_IMAGE, productForLine } from '@/lib/shop/domain/catalog';
import { COUNTRIES } from '@/lib/shop/domain/pricing';
import { ORDER_SIGNATURE_PARAM } from '@/lib/shop/domain/private-urls';
import { regionName } from '@/lib/shop/domain/regions';
import { formatOrderNumber } from '@/lib/shop/server/order-numbers';
import { orderForViewer } from '@/lib/shop/server/order-views';

export const metadata: Metadata = { title: 'Order confirmation', robots: { index: false } };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function OrderPage({ params, searchParams }: Props) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const sig = query[ORDER_SIGNATURE_PARAM];
  const order = await orderForViewer(id, typeof sig === 'string' ? sig : undefined);
  // Not the buyer (or no such order): the same 404 either way, so order ids cannot be probed.
  if (!order) notFound();

  const country = COUNTRIES.find((c) => c.code === order.country)?.name ?? order.country;
  return (
    <div className="mx-auto max-w-2xl space-y-8 px-4 py-12 sm:px-6">
      <div>
        <p className="text-sm font-medium text-brand">Order {formatOrderNumber(order.order_number)}</p>
        <h1 className="mt-1 text-3xl font-semibold tracking-tight">Thank you, {order.name}!</h1>
        <p className="mt-2 text-stone-600">
          Your order is confirmed. We will email {order.email} when it ships. This is a demo shop: nothing will be
          charged or sent.
        </p>
        <dl className="mt-4 flex flex-wrap gap-x-8 gap-y-2 text-sm">
          <div>
            <dt className="text-stone-500">Order number</dt>
            <dd className="font-medium" data-testid="order-number">
              {formatOrderNumber(order.order_number)}
            </dd>
          </div>
          <div>
            <dt className="text-stone-500">Reference</dt>
            <dd className="font-mono text-stone-700" data-testid="order-reference">
              {order.id}
            </dd>
          </div>
        </dl>
      </div>
      <section aria-labelledby="summary-heading" className="rounded-xl border border-stone-200 bg-white p-6">
        <h2 id="summary-heading" className="mb-2 text-lg font-semibold">
          Order summary
        </h2>
        <OrderSummary
          lines={order.lines.map((l) => ({
            sku: l.sku,
            name: l.name,
            variantName: l.variant_name,
            quantity: l.quantity,
            lineTotalCents: l.line_total_cents,
            image: productForLine({ productId: l.product_id, sku: l.sku })?.image ?? DISCONTINUED_IMAGE,
          }))}
          totals={{
            subtotalCents: order.subtotal_cents,
            discountCents: order.discount_cents,
            discountCode: order.discount_code,
            shippingCents: order.shipping_cents,
            taxCents: order.tax_cents,
            totalCents: order.total_cents,
          }}
        />
      </section>
      <section aria-labelledby="shipping-heading">
        <h2 id="shipping-heading" className="text-lg font-semibold">
          Shipping to
        </h2>
        <address className="mt-2 text-stone-700 not-italic">
          {order.name}
          <br />
          {order.address_line1}
          <br />
          {order.postal_code} {order.city}
          <br />
          {order.region && (
            <>
              {regionName(order.country, order.region)}
              <br />
            </>
          )}
          {country}
        </address>
      </section>
      <Link href="/" className="btn-secondary">
        Continue shopping
      </Link>
    </div>
  );
}
