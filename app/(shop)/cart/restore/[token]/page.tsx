import type { Metadata } from 'next';
import { Link } from '@/components/layout/link';
import { RestoreCartButton } from '@/components/cart/restore-cart-button';
import { OrderSummary } from '@/components/checkout/order-summary';
import { decodeParam } from '@/lib/common/http';
import { formatMoney, priceLines } from '@/lib/shop/domain/pricing';
import {
  restoreTokenId,
  stillSold,
  verifyRestoreToken,
  type RestoreTokenResult,
} from '@/lib/shop/server/restore-token';
import { shopNow } from '@/lib/shop/server/shop-clock';

export const metadata: Metadata = { title: 'Restore your cart', robots: { index: false, follow: false } };

const PROBLEMS: Record<Exclude<RestoreTokenResult, { ok: true }>['reason'], { title: string; text: string }> = {
  expired: {
    title: 'This cart link has expired',
    text: 'Cart links work for 7 days. Your products are still here to browse.',
  },
  bad_signature: {
    title: 'This cart link is not valid',
    text: 'It may have been copied incompletely. Try the link from the email again.',
  },
  malformed: {
    title: 'This cart link is not valid',
    text: 'It may have been copied incompletely. Try the link from the email again.',
  },
};

/**
 * The link in a cart recovery email: verifies the signed token, shows the cart it carries priced from today's
 * catalogue, and lets the shopper put it in this browser's cart (any device: the token carries the lines).
 */
export default async function RestoreCartPage({ params }: { params: Promise<{ token: string }> }) {
  const token = decodeParam((await params).token);
  const result = verifyRestoreToken(token, await shopNow());
  if (!result.ok) {
    const problem = PROBLEMS[result.reason];
    return (
      <div className="mx-auto flex max-w-xl flex-col items-center px-4 py-24 text-center">
        <h1 className="text-3xl font-semibold tracking-tight">{problem.title}</h1>
        <p className="mt-3 text-stone-600">{problem.text}</p>
        <div className="mt-8 flex flex-wrap justify-center gap-3">
          <Link href="/collections" className="btn-primary">
            Shop collections
          </Link>
          <Link href="/cart" className="btn-secondary">
            Open your cart
          </Link>
        </div>
      </div>
    );
  }

  const known = stillSold(result.lines);
  const priced = priceLines(known);
  const lines = priced.lines.map((l) => ({ sku: l.sku, variantId: l.variantId, quantity: l.quantity }));
  return (
    <div className="mx-auto max-w-3xl px-4 py-10 sm:px-6">
      <h1 className="text-3xl font-semibold tracking-tight">Your saved cart</h1>
      <p className="mt-2 text-stone-600">
        Prices are today&apos;s. Restoring replaces what is in your cart on this device.
      </p>
      {known.length < result.lines.length ? (
        <p role="note" className="mt-4 rounded-xl bg-amber-50 p-3 text-sm text-amber-900">
          Some products from this cart are no longer sold and were left out.
        </p>
      ) : null}
      <section aria-label="Saved cart" className="mt-6">
        <OrderSummary lines={priced.lines} />
      </section>
      <p className="mt-4 flex justify-between border-t border-stone-200 pt-3 text-lg font-semibold">
        <span>Subtotal</span>
        <span className="tabular-nums">{formatMoney(priced.subtotalCents)}</span>
      </p>
      {lines.length ? (
        <RestoreCartButton lines={lines} token={token} tokenId={restoreTokenId(token)} />
      ) : (
        <Link href="/collections" className="btn-primary mt-6 inline-flex">
          Shop collections
        </Link>
      )}
    </div>
  );
}
