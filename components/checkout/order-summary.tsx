import { formatMoney } from '@/lib/shop/domain/money';
import { ProductImage } from '@/components/product/product-image';

export type SummaryLine = {
  sku: string;
  name: string;
  variantName: string;
  quantity: number;
  lineTotalCents: number;
  /** Product image; decorative (the name is right beside it). */
  image: string;
};
export type SummaryTotals = {
  subtotalCents: number;
  /** The welcome code's discount and the code; absent, 0 or null when none was applied. */
  discountCents?: number;
  discountCode?: string | null;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
};

/** Lines and totals of a quote or a stored order; rendered on the server and inside the checkout form. */
export function OrderSummary({ lines, totals }: { lines: SummaryLine[]; totals?: SummaryTotals }) {
  return (
    <div className="space-y-4">
      <ul className="divide-y divide-stone-200">
        {lines.map((l) => (
          <li key={l.sku} className="flex items-center gap-4 py-3 text-sm">
            <ProductImage
              src={l.image}
              alt=""
              width={48}
              height={48}
              className="h-12 w-12 shrink-0 rounded-lg bg-stone-50"
            />
            <span className="flex-1">
              <span className="font-medium">{l.name}</span>
              <span className="block text-stone-500">
                {l.variantName} · Qty {l.quantity}
              </span>
            </span>
            <span className="tabular-nums">{formatMoney(l.lineTotalCents)}</span>
          </li>
        ))}
      </ul>
      {totals && (
        <dl className="space-y-1 border-t border-stone-200 pt-3 text-sm">
          <Row label="Subtotal" cents={totals.subtotalCents} />
          {totals.discountCode && !!totals.discountCents && (
            <Row label={`Discount (${totals.discountCode})`} cents={totals.discountCents} off />
          )}
          <Row label="Shipping" cents={totals.shippingCents} free />
          <Row label="Tax" cents={totals.taxCents} />
          <div className="flex justify-between pt-2 text-base font-semibold">
            <dt>Total</dt>
            <dd className="tabular-nums" data-testid="order-total">
              {formatMoney(totals.totalCents)}
            </dd>
          </div>
        </dl>
      )}
    </div>
  );
}

function Row({
  label,
  cents,
  free = false,
  off = false,
}: {
  label: string;
  cents: number;
  free?: boolean;
  off?: boolean;
}) {
  return (
    <div className="flex justify-between text-stone-700">
      <dt>{label}</dt>
      <dd className="tabular-nums">{free && cents === 0 ? 'Free' : `${off ? '−' : ''}${formatMoney(cents)}`}</dd>
    </div>
  );
}
